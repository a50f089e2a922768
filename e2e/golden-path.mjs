// The golden path through the real application in Debian's Chromium, as the people who do the work would
// take it: the team lead assigns; the caseworker reviews, interviews, reopens, hears and sends; the deciding
// municipality sends the case back; home sends it again; the decision is proposed and approved by a second
// person; the letter's complaint deadline is shown; a complaint is registered. Every page is scanned with
// axe (no serious or critical violation allowed) and photographed into $ARTIFACTS.
//
// Run by crates/cli/tests/browser.rs, which starts `gennemgang demo` and passes:
//   BASE_URL, PASSWORD, CASE_ID, HOME_MUNICIPALITY, DECIDING_MUNICIPALITY (codes), ARTIFACTS.

import { chromium } from "playwright-core";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import assert from "node:assert/strict";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const { BASE_URL, PASSWORD, CASE_ID, HOME_MUNICIPALITY: HOME, DECIDING_MUNICIPALITY: DECIDING, ARTIFACTS } = process.env;
for (const [k, v] of Object.entries({ BASE_URL, PASSWORD, CASE_ID, HOME, DECIDING, ARTIFACTS })) {
  assert.ok(v, `${k} must be set`);
}
mkdirSync(ARTIFACTS, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
  ],
});

const scanned = [];
let shot = 0;

/** Scans the page with axe and keeps a screenshot; fails on serious or critical violations. */
async function check(page, name) {
  await page.screenshot({ path: `${ARTIFACTS}/${String(++shot).padStart(2, "0")}-${name}.png`, fullPage: true });
  // Evaluated through the DevTools protocol, so the page's strict CSP stays in force for its own scripts.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  scanned.push({ name, url: page.url(), violations: result.violations.map((v) => `${v.impact} ${v.id}`) });
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    [],
    `accessibility violations on ${name} (${page.url()})`,
  );
}

async function signIn(user) {
  const context = await browser.newContext({ locale: "da-DK" });
  const page = await context.newPage();
  const csp = [];
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) csp.push(m.text()); });
  await page.goto(`${BASE_URL}/login`);
  await page.getByLabel("Brugernavn").fill(user);
  await page.getByLabel("Adgangskode").fill(PASSWORD);
  await page.getByRole("button", { name: "Log på" }).click();
  await page.waitForURL(`${BASE_URL}/sager`);
  return { page, context, csp };
}

/**
 * Opens the action's form on the case page, fills it and submits it; expects to land on the case again, or
 * with `leaves`, on the worklist (the action hands the case to another municipality).
 */
async function act(page, title, fill = async () => {}, leaves = false) {
  await page.goto(`${BASE_URL}/sager/${CASE_ID}`);
  const form = page.locator("details.app-action").filter({ has: page.locator("summary", { hasText: title }) });
  await form.locator("summary").click();
  await fill(form);
  // The form posts through htmx, which swaps the page's main part; app.js counts the swaps.
  const swaps = await page.evaluate(() => Number(document.body.dataset.swaps || "0"));
  await form.getByRole("button", { name: title }).click();
  if (leaves) {
    await page.waitForURL(`${BASE_URL}/sager`);
    return;
  }
  const failed = [];
  const onFail = (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); };
  page.on("response", onFail);
  await page.waitForFunction((n) => Number(document.body.dataset.swaps || "0") > n, swaps, { timeout: 10000 })
    .catch(async (e) => { throw new Error(`"${title}": no swap (${failed.join(", ")}) at ${page.url()}: ${(await page.locator("main").innerText()).slice(0, 300)}`); });
  page.off("response", onFail);
  assert.equal(page.url(), `${BASE_URL}/sager/${CASE_ID}`);
  const errors = await page.locator(".alert-error").count();
  assert.equal(errors, 0, `"${title}" was refused: ${errors ? await page.locator(".alert-error").innerText() : ""}`);
}

/** A hearing on the case's information, answered the same day: in words, or by a document of the case. */
async function hearing(page, answer, document) {
  await act(page, "Start partshøring", (f) => f.getByLabel("Oplysninger, borgeren høres om").fill("Lønindkomst 2025 og arbejdsgiverens oplysninger."));
  await act(page, "Afslut partshøring", async (f) => {
    if (answer) await f.getByLabel("Borgerens svar (tom: intet svar inden fristen)").fill(answer);
    if (document) await f.getByLabel("Borgerens skriftlige svar som dokument på sagen").selectOption({ label: document });
  });
}

const today = new Date().toISOString().slice(0, 10);

// 1. The team lead: sign-in page, worklist, assignment.
{
  const context = await browser.newContext({ locale: "da-DK" });
  const page = await context.newPage();
  await page.goto(`${BASE_URL}/login`);
  await check(page, "login");
  await context.close();
}
{
  const { page, context } = await signIn(`leder${HOME}`);
  await check(page, "worklist");
  await page.getByRole("link", { name: CASE_ID, exact: true }).first().click();
  await check(page, "case-unassigned");
  await act(page, "Fordel sagen", (f) => f.getByLabel("Sagsbehandler").selectOption(`sagsbehandler${HOME}`));
  // More cases at once, ticked in the worklist: each then names its caseworker.
  await page.goto(`${BASE_URL}/sager`);
  const ticked = [];
  for (const box of await page.locator('input[form="fordel"][name="sag"]').all()) {
    const id = await box.getAttribute("value");
    if (id !== CASE_ID && ticked.length < 2) {
      await box.check();
      ticked.push(id);
    }
  }
  assert.ok(ticked.length >= 1, "the worklist offers other cases to assign");
  await page.getByLabel("Fordel de valgte sager til").selectOption(`sagsbehandler${HOME}`);
  await page.getByRole("button", { name: "Fordel valgte" }).click();
  await assert.doesNotReject(page.getByText("Sagerne er fordelt").first().waitFor());
  const counted = ticked.length === 1 ? "1 sag" : `${ticked.length} sager`;
  assert.match(await page.locator("main").innerText(), new RegExp(`${counted} er fordelt til sagsbehandler${HOME}\\.`));
  await check(page, "bulk-assigned");
  for (const id of ticked) {
    await page.goto(`${BASE_URL}/sager/${id}`);
    // The summary's own cell: the page's assign form lists the same name among its choices.
    assert.equal(await page.locator("dt:text-is('Sagsbehandler') + dd").innerText(), `sagsbehandler${HOME}`, `case ${id} was assigned`);
  }
  // Housing areas with a what-if on the criteria (through htmx), and the screening runs.
  await page.goto(`${BASE_URL}/omraader`);
  await page.getByLabel("Antal kriterier, der skal være opfyldt").fill("1");
  const swaps = await page.evaluate(() => Number(document.body.dataset.swaps || "0"));
  await page.getByRole("button", { name: "Beregn" }).click();
  await page.waitForFunction((n) => Number(document.body.dataset.swaps || "0") > n, swaps);
  assert.match(await page.locator("#resultat + p").innerText(), /områder ville være udvalgt/);
  assert.match(page.url(), /at_least=1/);
  await check(page, "areas-what-if");
  await page.goto(`${BASE_URL}/koersler`);
  assert.match(await page.locator("main").innerText(), /Screening af målgruppen/);
  await check(page, "runs");
  // The team: cases per caseworker, and the move of an absent caseworker's cases.
  await page.goto(`${BASE_URL}/team`);
  await assert.doesNotReject(page.getByRole("cell", { name: `sagsbehandler${HOME}`, exact: true }).waitFor());
  await check(page, "team");
  await context.close();
}

// 2. The caseworker: phase 1 and 2.
const worker = await signIn(`sagsbehandler${HOME}`);
{
  const { page } = worker;
  await act(page, "Registrér oplysning", async (f) => {
    await f.getByLabel("Kilde").selectOption("income_register");
    await f.getByLabel("Hvad viser oplysningen").fill("Lønindkomst 2025 på 180.000 kr.");
  });
  for (const source of ["pension_case", "other_administration", "public_activity", "criminal_record"]) {
    await act(page, "Kilden er ikke relevant", async (f) => {
      await f.getByLabel("Kilde", { exact: true }).selectOption(source);
      await f.getByLabel("Hvorfor kilden ikke er relevant").fill("Gennemgået; intet af betydning for arbejdsevnen.");
    });
  }
  await act(page, "Indkald til samtale");
  await check(page, "case-summoned");
  // A letter from the citizen added to the file: recognised by its content, listed, opened from the list.
  await page.goto(`${BASE_URL}/sager/${CASE_ID}`);
  const addDocument = page.locator("details.app-action").filter({ has: page.locator("summary", { hasText: "Tilføj dokument" }) });
  await addDocument.locator("summary").click();
  await addDocument.getByLabel(/^Fil/).setInputFiles({ name: "brev.txt", mimeType: "text/plain", buffer: Buffer.from("Kære kommune\nJeg arbejder 10 timer om ugen.\n") });
  await addDocument.getByLabel("Titel").fill("Brev fra borgeren");
  await addDocument.getByRole("button", { name: "Tilføj dokument" }).click();
  await page.waitForURL(/udfoert=add_document/);
  await assert.doesNotReject(page.getByRole("link", { name: "Brev fra borgeren" }).waitFor());
  await check(page, "case-document");
  await act(page, "Registrér afholdt samtale", (f) => f.getByLabel("Journalnotat (offentlighedslovens § 13)").fill("Borgeren oplyser at arbejde 20 timer om ugen."));
  // A server-side error summary, then the correct submission.
  await page.goto(`${BASE_URL}/sager/${CASE_ID}`);
  const reopen = page.locator("details.app-action").filter({ has: page.locator("summary", { hasText: "Genåbn sagen" }) });
  await reopen.locator("summary").click();
  await reopen.getByRole("button", { name: "Genåbn sagen" }).click();
  await assert.doesNotReject(page.locator(".alert-error").waitFor());
  await check(page, "error-summary");
  await act(page, "Genåbn sagen", async (f) => {
    await f.getByLabel("Konkret og saglig anledning").fill("Indkomstregistret viser lønindkomst.");
    await f.getByLabel("Nr. 1: Indkomstregistret").check();
  });
  await act(page, "Orientér borgeren om genåbningen");
  // Waiting on the citizen's consent: the worklist says so, and so does the day's view.
  await page.goto(`${BASE_URL}/sager?venter=1`);
  await assert.doesNotReject(page.getByText(/Samtykke i 0 dage/).first().waitFor());
  await page.goto(`${BASE_URL}/i-dag`);
  await check(page, "today");
  await act(page, "Registrér andre nye oplysninger", async (f) => {
    await f.getByLabel("Oplysningerne").fill("Arbejdsgiveren bekræfter 20 timer om ugen.");
    await f.getByLabel("Indhentet fra").fill("arbejdsgiver");
  });
  await hearing(page, "Jeg er i fleksjob.");
  await act(page, "Send til afgørelseskommunen");
  await check(page, "case-sent");
  // The calculators: the borger.dk 2025 example to the krone, and a physical letter just before Christmas.
  await page.goto(`${BASE_URL}/beregner/pension`);
  await page.getByLabel("År", { exact: true }).fill("2025");
  await page.getByLabel("Gift eller samlevende").check();
  await page.getByLabel("Egen indkomst ud over pensionen (kr. om året)").fill("126000");
  await page.getByLabel("Partnerens indkomst, der indgår (kr. om året)").fill("350506");
  await page.getByRole("button", { name: "Beregn" }).click();
  await page.locator("#resultat").waitFor();
  assert.match(await page.locator("main").innerText(), /200\.848 kr\./);
  await check(page, "pension-calculator");
  await page.goto(`${BASE_URL}/beregner/frist?kind=complaint&from=2026-12-22&channel=physical`);
  assert.match(await page.locator("#resultat").innerText(), /Fristen udløber/);
  await check(page, "deadline-calculator");
}

// 3. The deciding municipality receives and sends back; home sends again.
const decider = await signIn(`afgoerelse${DECIDING}`);
{
  const { page } = decider;
  await act(page, "Modtag sagen");
  await act(page, "Send sagen tilbage", async (f) => {
    await f.getByLabel("Arbejdsevnen er ikke belyst").check();
    await f.getByLabel("Uddybning til bopælskommunen").fill("Arbejdsprøvning mangler.");
  }, true);
}
await act(worker.page, "Registrér arbejdsprøvning", async (f) => {
  await f.getByLabel("Virksomhed").fill("Virksomhed A");
  await f.getByLabel("Resultat").fill("15 timer om ugen.");
});
// The work trial came after the hearing: the citizen is heard again before any revocation, and answers by
// letter this time (the letter added to the file in phase 1 is the written answer).
await hearing(worker.page, "", "Nr. 1: Brev fra borgeren");
assert.equal(
  await worker.page.locator("dt:text-is('Borgerens skriftlige svar i partshøringen') + dd").innerText(),
  "Dokument nr. 1: Brev fra borgeren",
);
assert.equal(await worker.page.locator("dt:text-is('Borgerens svar i partshøringen')").count(), 0, "the first hearing's answer is not this one's");
await check(worker.page, "case-hearing-document");
await act(worker.page, "Send til afgørelseskommunen");

// 4. Decision proposed by one person, approved by another.
{
  const { page } = decider;
  await act(page, "Modtag sagen");
  await act(page, "Validér kommunens vurdering", (f) => f.getByLabel("Bemærkninger").fill("Sagen er tilstrækkeligt oplyst."));
  // Not put before the board: a case on the board's agenda is decided at its meeting, and the server's
  // day stands still in this run.
  await act(page, "Indstil til frakendelse", async (f) => {
    await f.getByLabel("Begrundelse (forvaltningslovens §§ 22-24)").fill("Arbejdsevnen er forbedret væsentligt og varigt.");
    await f.getByLabel("Pensionen bevares i antal måneder efter virkningstidspunktet (0-3)").fill("3");
  });
  await check(page, "case-proposed");
  await page.goto(`${BASE_URL}/afgoerelse/attestation`);
  assert.match(await page.locator("main").innerText(), /Dine egne forslag \(attesteres af en anden\) \(1\)/);
  await check(page, "approval-queue");
  await page.goto(`${BASE_URL}/afgoerelse/dagsorden`);
  await check(page, "board-agenda");
  await page.goto(`${BASE_URL}/afgoerelse/indbakke`);
  await check(page, "inbox");
  // The proposer is offered no approval.
  assert.equal(await page.locator("summary", { hasText: "Godkend frakendelsen" }).count(), 0);
}
{
  const { page, context } = await signIn(`attestant${DECIDING}`);
  await act(page, "Godkend frakendelsen");
  await check(page, "case-decided");
  await page.goto(`${BASE_URL}/statistik`);
  await check(page, "statistics");
  await context.close();
}

// 5. The letter with its complaint deadline; a complaint.
{
  const { page } = decider;
  // Preview the decision letter, then send it through Digital Post (the postbox writes the MeMo message).
  await page.goto(`${BASE_URL}/sager/${CASE_ID}`);
  const letterForm = page.locator("details.app-action").filter({ has: page.locator("summary", { hasText: "Brev: Afgørelse: din førtidspension frakendes" }) });
  await letterForm.locator("summary").click();
  const href = await letterForm.getByRole("link", { name: "Se brevet (PDF)" }).getAttribute("href");
  // Fetched by the page itself, so that the session cookie goes with it.
  const [type, head] = await page.evaluate(async (u) => {
    const r = await fetch(u);
    return [r.headers.get("content-type"), (await r.text()).slice(0, 5)];
  }, href);
  assert.deepEqual([type, head], ["application/pdf", "%PDF-"]);
  const before = await page.evaluate(() => Number(document.body.dataset.swaps || "0"));
  await letterForm.getByRole("button", { name: "Send brevet" }).click();
  await page.waitForFunction((n) => Number(document.body.dataset.swaps || "0") > n, before);
  assert.match(await page.locator("#breve + table, section[aria-labelledby=breve] table").first().innerText(), /Afgørelse: din førtidspension frakendes/);
  const letter = await page.locator("dt:text-is('Brev og klagefrist') + dd").innerText();
  assert.match(letter, /klagefrist \d+\. \w+ \d{4} \(retssikkerhedslovens § 67\)/);
  await act(page, "Registrér klage");
  const complaint = await page.locator("dt:text-is('Klage') + dd").innerText();
  assert.match(complaint, /Modtaget .* genvurdering senest/);
  await check(page, "case-complaint");
  await page.goto(`${BASE_URL}/sager/${CASE_ID}/adgangslog`);
  await check(page, "access-log");
  await page.goto(`${BASE_URL}/breve`);
  await check(page, "letter-batches");
}

for (const s of [worker, decider]) {
  assert.deepEqual(s.csp, [], "no Content-Security-Policy violations");
  await s.context.close();
}
await browser.close();
console.log(JSON.stringify({ pages: scanned.length, scanned }, null, 1));
console.log(`golden path ok, ${scanned.length} pages scanned, ${today}`);
