// Sign-in details page: download the table as CSV, or print it. Nothing leaves the browser;
// the server never stores the passwords, so this is the only copy besides the screen.

const table = document.getElementById("credentials");
const download = document.getElementById("download-credentials");
const print = document.getElementById("print-credentials");

// A cell starting like a formula is neutralised so spreadsheets show it as text.
function csvCell(text) {
  let value = text.trim();
  if (/^[=+\-@\t\r]/.test(value)) value = "'" + value;
  return /[",\r\n]/.test(value) ? '"' + value.replaceAll('"', '""') + '"' : value;
}

function tableAsCsv() {
  const header = ["username", "name", "email", "password"];
  const lines = [header.join(",")];
  for (const row of table.tBodies[0].rows) {
    const cells = row.cells;
    const password = cells[4].querySelector("code.password");
    const name = cells[2].textContent.trim() === "—" ? "" : cells[2].textContent;
    const email = cells[3].textContent.trim() === "—" ? "" : cells[3].textContent;
    lines.push([cells[1].textContent, name, email, password ? password.textContent : ""]
      .map(csvCell).join(","));
  }
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

if (table && download) {
  download.hidden = false;
  download.addEventListener("click", () => {
    const blob = new Blob([tableAsCsv()], { type: "text/csv;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = download.dataset.filename || "sign-in.csv";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 0);
  });
}
if (print) {
  print.hidden = false;
  print.addEventListener("click", () => window.print());
}
