"""Content-hashed asset names: a change anywhere in an import chain renames the chain."""

from fieldapp.field import assets


def test_changing_one_module_changes_its_name_and_its_importers(tmp_path) -> None:
    source = tmp_path / "src"
    (source / "js").mkdir(parents=True)
    (source / "js" / "a.js").write_text('import { b } from "./b.js";\nexport const a = b;\n')
    (source / "js" / "b.js").write_text("export const b = 1;\n")
    first = assets.build_assets(source, tmp_path / "build")
    (source / "js" / "b.js").write_text("export const b = 2;\n")
    second = assets.build_assets(source, tmp_path / "build")
    assert first.names["js/b.js"] != second.names["js/b.js"]
    assert first.names["js/a.js"] != second.names["js/a.js"]
    assert first.version != second.version
    built = (tmp_path / "build" / second.names["js/a.js"]).read_text()
    assert second.names["js/b.js"].split("/")[-1] in built
    assert (tmp_path / "build" / f"{second.names['js/a.js']}.br").exists()


def test_negotiation_prefers_brotli_then_gzip(tmp_path) -> None:
    path = tmp_path / "x.js"
    path.write_text("x")
    assets.compressed_copies(path, b"x")
    assert assets.negotiate("gzip, deflate, br", path) == (tmp_path / "x.js.br", "br")
    assert assets.negotiate("gzip;q=1.0", path) == (tmp_path / "x.js.gz", "gzip")
    assert assets.negotiate("", path) == (path, None)


def test_a_module_imported_only_when_needed_is_not_preloaded(tmp_path) -> None:
    source = tmp_path / "src"
    (source / "js").mkdir(parents=True)
    (source / "js" / "app.js").write_text(
        'import { b } from "./b.js";\nexport const later = () => import("./screen.js");\n'
    )
    (source / "js" / "b.js").write_text("export const b = 1;\n")
    (source / "js" / "screen.js").write_text('import { b } from "./b.js";\nexport const s = b;\n')
    built = assets.build_assets(source, tmp_path / "build")
    assert built.static_closure("js/app.js") == ["js/app.js", "js/b.js"]
    app = (tmp_path / "build" / built.names["js/app.js"]).read_text()
    assert built.names["js/screen.js"].split("/")[-1] in app  # still hashed: cached forever, precached
