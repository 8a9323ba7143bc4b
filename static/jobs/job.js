// The job page: ask the server every two seconds how far the job is, until it is done or failed.
const section = document.querySelector("[data-status-url]");
const bar = section.querySelector("progress");
const message = section.querySelector("[role=status]");
const file = section.querySelector(".job-file");

async function poll() {
  let status;
  try {
    const response = await fetch(section.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    status = await response.json();
  } catch {
    setTimeout(poll, 5000); // a dropped 2G connection: try again a little later
    return;
  }
  bar.value = status.percent;
  bar.textContent = `${status.percent}%`;
  if (message.textContent !== status.message) message.textContent = status.message;
  if ((status.state === "done" && status.summary) || status.state === "failed") {
    window.location.reload(); // the outcome, or why it failed, is drawn by the server
  } else if (status.state === "done") {
    file.hidden = false;
    document.getElementById("job-keeps-running")?.remove();
    file.querySelector("a").focus();
  } else {
    setTimeout(poll, 2000);
  }
}

if (!["done", "failed"].includes(section.dataset.state)) setTimeout(poll, 1000);
