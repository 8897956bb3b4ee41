// End-to-end scenarios of the designer in headless Chromium, as the issue lists them.
// Each drives the built app through its UI only and saves a screenshot.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { card, centre, edge, FIXTURES, launch, mouseDrag, openApp, openTopology, REPO, savedTopology, serve, settled, shot } from "./harness.mjs";

let server;
let browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const TF_CORPUS = join(REPO, "tests/corpus/terraform");
const WEB = ["/instances/web-1", "/instances/web-2", "/instances/web-3"];
const TG = "/target_groups/backend";

/** The text Export… shows for `format`; the dialog stays open. */
async function exported(page, format) {
  await page.getByTestId("export").click();
  await page.getByTestId("export-format").selectOption(format);
  await page.waitForFunction(() => document.querySelector('[data-testid="export-text"]')?.getAttribute("data-ready") === "yes");
  return page.getByTestId("export-text").textContent();
}

/** Import… with `choose` filling the dialog; resolves when the import is checked and laid out. */
async function importThrough(page, choose) {
  await page.getByTestId("import-template").click();
  await choose();
  await page.getByTestId("import-go").click();
  await page.getByTestId("import-dialog").waitFor({ state: "detached" });
  await settled(page);
}

/** A node's position inside its container, as React Flow places it. */
async function offset(node) {
  const t = await node.evaluate((e) => getComputedStyle(e).transform);
  const m = /matrix\(1, 0, 0, 1, (-?[\d.]+), (-?[\d.]+)\)/.exec(t);
  assert.ok(m, `transform ${t}`);
  return { x: Math.round(Number(m[1])), y: Math.round(Number(m[2])) };
}

/** Drags a node by (dx, dy) screen pixels from its centre. */
async function dragBy(page, node, dx, dy) {
  const from = await centre(node);
  await mouseDrag(page, from, { x: from.x + dx, y: from.y + dy });
}

/** Drops a new instance from the palette near the top right of a subnet, and waits for the check. */
async function addInstanceTo(page, subnetId) {
  const subnet = await card(page, subnetId).boundingBox();
  const canvas = await page.getByTestId("canvas").boundingBox();
  await page.getByTestId("palette-instances").dragTo(page.getByTestId("canvas"), {
    targetPosition: { x: subnet.x - canvas.x + subnet.width - 30, y: subnet.y - canvas.y + 12 },
  });
  await settled(page);
}

/** Runs `act` and waits until the canvas has been laid out afresh after it. */
async function laidOutAgain(page, act) {
  const epoch = Number(await page.getByTestId("canvas").getAttribute("data-layout-epoch"));
  await act();
  await page.waitForFunction((e) => Number(document.querySelector('[data-testid="canvas"]')?.getAttribute("data-layout-epoch")) > e, epoch);
  await settled(page);
}

/** Pairs of nodes on the canvas that overlap without one holding the other: none in a tidy canvas. */
async function crossings(page) {
  return page.evaluate(() => {
    const boxes = [...document.querySelectorAll(".react-flow__node")].map((e) => ({ id: e.dataset.id, r: e.getBoundingClientRect() }));
    const holds = (a, b) => a.left <= b.left + 1 && a.top <= b.top + 1 && a.right >= b.right - 1 && a.bottom >= b.bottom - 1;
    const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const found = [];
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1)) if (meet(a.r, b.r) && !holds(a.r, b.r) && !holds(b.r, a.r)) found.push(`${a.id} × ${b.id}`);
    return found;
  });
}

async function problems(page) {
  await page.getByTestId("tab-problems").click();
  return page.getByTestId("problems");
}

describe("designer", () => {
  test("the three-tier example loads with zero problems and every path reachable", async () => {
    const { page, context, record } = await openApp(browser, server.url);
    const panel = await problems(page);
    assert.equal(await panel.getAttribute("data-problems"), "0");
    await page.getByTestId("no-problems").waitFor();
    const status = page.getByTestId("engine-status");
    assert.equal(await status.getAttribute("data-errors"), "0");
    assert.equal(await status.getAttribute("data-warnings"), "0");
    for (const w of WEB) assert.equal(await edge(page, "target", w, TG).getAttribute("data-status"), "reachable");
    assert.equal(await card(page, "/vpcs/app").getByTestId("card-title").first().textContent(), "shop-vpc");
    await shot(page, "01-example");
    assert.deepEqual(record.errors, []);
    // Nothing but the app's own files was requested.
    assert.ok(record.requests.every((u) => u.startsWith(server.url) || u.startsWith("blob:") || u.startsWith("data:")), record.requests.join("\n"));
    await context.close();
  });

  test("a new instance dropped into a subnet and connected to the target group becomes a target and a plan step", async () => {
    const { page, context, record } = await openApp(browser, server.url);
    await page.getByTestId("tab-plan").click();
    const before = Number(await page.getByTestId("plan-step-count").textContent());
    assert.match(await page.locator('[data-step-id="register.targets.backend"]').textContent(), /Register 3 targets/);

    // Drop into the header strip of subnet private-b, which no card covers.
    const subnet = card(page, "/subnets/private-b");
    const box = await subnet.boundingBox();
    const subnetBox = await page.getByTestId("canvas").boundingBox();
    await page.getByTestId("palette-instances").dragTo(page.getByTestId("canvas"), {
      targetPosition: { x: box.x - subnetBox.x + box.width - 30, y: box.y - subnetBox.y + 12 },
    });
    await settled(page);
    const inst = card(page, "/instances/instance");
    await inst.waitFor();
    let t = await savedTopology(page);
    assert.deepEqual(t.instances.instance, { subnet: "private-b", security_groups: [], instance_type: "t3.small" });

    // Connect the instances' security group to it (attaches the group), then the instance
    // to the target group (registers it): drag from one card's handle to the other's.
    await mouseDrag(page, await centre(card(page, "/security_groups/app").locator(".react-flow__handle-left")), await centre(inst.locator(".react-flow__handle-right")));
    await settled(page);
    assert.deepEqual((await savedTopology(page)).instances.instance.security_groups, ["app"]);
    await mouseDrag(page, await centre(inst.locator(".react-flow__handle-left")), await centre(card(page, TG).locator(".react-flow__handle-right")));
    await settled(page);
    t = await savedTopology(page);
    assert.deepEqual(t.target_groups.backend.targets, [{ id: "web-1" }, { id: "web-2" }, { id: "web-3" }, { id: "instance" }]);
    await edge(page, "target", "/instances/instance", TG).waitFor({ state: "attached" });

    await page.getByTestId("tab-plan").click();
    assert.equal(Number(await page.getByTestId("plan-step-count").textContent()), before + 1);
    await page.locator('[data-step-id="create.instance.instance"]').waitFor({ state: "attached" });
    assert.match(await page.locator('[data-step-id="register.targets.backend"]').textContent(), /Register 4 targets/);
    await shot(page, "02-new-instance");

    // A connection that means nothing is refused with its reason, and changes nothing.
    await mouseDrag(page, await centre(inst.locator(".react-flow__handle-left")), await centre(card(page, "/load_balancers/nlb").locator(".react-flow__handle-right")));
    assert.match(await page.getByTestId("notice").textContent(), /An NLB forwards to a target group, not straight to instances/);
    assert.deepEqual((await savedTopology(page)).load_balancers, t.load_balancers);

    // Undo takes the registration back; redo brings it again.
    await page.getByTestId("undo").click();
    await settled(page);
    assert.equal((await savedTopology(page)).target_groups.backend.targets.length, 3);
    await page.keyboard.press("Control+Shift+Z");
    await settled(page);
    assert.equal((await savedTopology(page)).target_groups.backend.targets.length, 4);
    assert.deepEqual(record.errors, []);
    await context.close();
  });

  test("removing the target port from the instances' security group raises VL301 on its card and turns the paths red; Fix clears it", async () => {
    const { page, context, record } = await openApp(browser, server.url);
    await card(page, "/security_groups/app").click();
    const rule = page.getByTestId("inspector-form").locator('.array-item[data-path="/security_groups/app/ingress/0"]');
    await rule.waitFor();
    await rule.getByRole("button", { name: "Remove" }).click();
    await settled(page);

    const badge = card(page, "/security_groups/app").getByTestId("card-badge");
    assert.match(await badge.getAttribute("data-codes"), /\bVL301\b/);
    for (const w of WEB) assert.equal(await edge(page, "target", w, TG).getAttribute("data-status"), "blocked");
    assert.match(await card(page, "/security_groups/app").locator(".card-node").getAttribute("title"), /allows no inbound TCP 8080/);
    const panel = await problems(page);
    const finding = panel.locator('[data-code="VL301"]');
    assert.equal(await finding.count(), 1);
    assert.match(await finding.textContent(), /Target security group does not allow the traffic port/);
    await shot(page, "03-blocked");

    await finding.getByTestId("fix").click();
    await settled(page);
    assert.equal(await panel.locator('[data-code="VL301"]').count(), 0);
    assert.equal(await panel.getAttribute("data-problems"), "0");
    assert.equal(await card(page, "/security_groups/app").getByTestId("card-badge").count(), 0);
    for (const w of WEB) assert.equal(await edge(page, "target", w, TG).getAttribute("data-status"), "reachable");
    await shot(page, "04-fixed");
    assert.deepEqual(record.errors, []);
    await context.close();
  });

  test("importing a real-world template (REST API → 3 VPC links → 3 NLBs) lays it out", async () => {
    const { page, context, record } = await openApp(browser, server.url);
    await importThrough(page, () => page.getByTestId("import-file").setInputFiles(join(FIXTURES, "fargate-rest-nlb-template.yaml")));
    for (const s of ["bookings", "locations", "resources"]) {
      await card(page, `/load_balancers/${s}-service-load-balancer`).waitFor();
      await card(page, `/vpc_links/${s}-service-vpc-link`).waitFor();
      await edge(page, "link-target", `/load_balancers/${s}-service-load-balancer`, `/vpc_links/${s}-service-vpc-link`).waitFor({ state: "attached" });
    }
    assert.equal(await card(page, "/instances/web-1").count(), 0);
    // Laid out: no two cards overlap, and all of them fit in the view.
    const boxes = await page.locator(".react-flow__node-card").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
    assert.ok(boxes.length >= 15, `${boxes.length} cards`);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        const overlap = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
        assert.ok(!overlap, `cards ${i} and ${j} overlap`);
      }
    const view = await page.getByTestId("canvas").boundingBox();
    for (const b of boxes) assert.ok(b.left >= view.x - 1 && b.right <= view.x + view.width + 1 && b.top >= view.y - 1 && b.bottom <= view.y + view.height + 1);
    assert.match(await page.getByTestId("notice").textContent(), /Imported fargate-rest-nlb-template\.yaml/);
    await shot(page, "05-imported");
    assert.deepEqual(record.errors, []);
    await context.close();
  });

  test("the CloudFormation export imports back to the same topology", async () => {
    const { page, context, record } = await openApp(browser, server.url);
    const original = await savedTopology(page);
    const template = await exported(page, "cloudformation");
    assert.match(template, /AWS::ApiGateway::VpcLink/);
    await shot(page, "06-export");
    await page.getByRole("button", { name: "Close" }).click();

    await importThrough(page, () => page.getByTestId("import-text").fill(template));
    const back = await savedTopology(page);
    assert.equal(back.origin?.format, "cloudformation");
    delete back.origin;
    assert.deepEqual(back, original);
    assert.equal(await (await problems(page)).getAttribute("data-problems"), "0");
    assert.deepEqual(record.errors, []);
    await context.close();
  });

  test("a card placed by hand keeps its place when a card is added; auto-layout places it again", async () => {
    const { page, context, record } = await openApp(browser, server.url);
    const sg = card(page, "/security_groups/nlb");
    const laidOut = await offset(sg);
    await dragBy(page, sg, 60, 140);
    assert.deepEqual(await crossings(page), [], "the laid-out canvas");
    const placed = await offset(sg);
    // The drag is in screen pixels; positions are in the canvas's own, at the view's zoom.
    const zoom = await page.locator(".react-flow__viewport").evaluate((e) => new DOMMatrix(getComputedStyle(e).transform).a);
    const moved = { x: (placed.x - laidOut.x) * zoom, y: (placed.y - laidOut.y) * zoom };
    assert.ok(Math.abs(moved.x - 60) < 6 && Math.abs(moved.y - 140) < 6, `moved ${JSON.stringify(moved)} at zoom ${zoom}`);
    // An instance dragged towards the right edge of its subnet (and still inside it), so
    // that the subnet, and the zone around it, must grow towards their neighbours.
    const web = card(page, WEB[0]);
    await dragBy(page, web, 40, 0);
    const webPlaced = await offset(web);

    // A structural edit lays the canvas out again: a new instance in subnet private-b.
    await addInstanceTo(page, "/subnets/private-b");
    await card(page, "/instances/instance").waitFor();
    assert.deepEqual(await offset(sg), placed);
    assert.deepEqual(await offset(web), webPlaced);
    // Its VPC still holds it.
    const vpc = await card(page, "/vpcs/app").boundingBox();
    const box = await sg.boundingBox();
    assert.ok(box.y + box.height <= vpc.y + vpc.height + 1 && box.x + box.width <= vpc.x + vpc.width + 1, "the VPC grew to hold the card");
    // The grown subnet and zone pushed what stood beside them aside instead of covering it.
    assert.deepEqual(await crossings(page), []);

    // A card placed by hand, deleted, and added again under the same id is laid out afresh.
    const added = card(page, "/instances/instance");
    const addedLaidOut = await offset(added);
    await dragBy(page, added, 12, 0);
    assert.notDeepEqual(await offset(added), addedLaidOut);
    await added.click();
    await page.keyboard.press("Delete");
    await added.waitFor({ state: "detached" });
    await settled(page);
    await addInstanceTo(page, "/subnets/private-b");
    await added.waitFor();
    assert.deepEqual(await offset(added), addedLaidOut);

    await laidOutAgain(page, () => page.getByTestId("layout").click());
    const again = await offset(sg);
    assert.ok(Math.abs(again.x - placed.x) > 20 || Math.abs(again.y - placed.y) > 20, `auto-layout left it at ${JSON.stringify(again)}`);
    assert.deepEqual(record.errors, []);
    await context.close();
  });

  test("hand-placed positions are autosaved with the topology and come back after a reload; the example starts without them", async () => {
    const { page, context, record } = await openApp(browser, server.url);
    const sg = card(page, "/security_groups/nlb");
    const laidOut = await offset(sg);
    await dragBy(page, sg, 60, 140);
    const placed = await offset(sg);
    assert.notDeepEqual(placed, laidOut);
    // The topology is autosaved shortly after the page opens; the position when it is dropped.
    await page.waitForFunction(() => localStorage.getItem("vpclink.designer.v1") && localStorage.getItem("vpclink.designer.v1.positions"));
    await page.reload();
    await settled(page);
    assert.deepEqual(await offset(sg), placed);

    // The example opened over itself has the same cards: it is laid out again all the same.
    await laidOutAgain(page, () => page.getByTestId("load-example").click());
    assert.equal(await page.evaluate(() => localStorage.getItem("vpclink.designer.v1.positions")), null);
    assert.deepEqual(await offset(sg), laidOut);
    await page.reload();
    await settled(page);
    assert.deepEqual(await offset(sg), laidOut);
    assert.deepEqual(record.errors, []);
    await context.close();
  });

  test("a Terraform configuration chosen as files imports as the reviewed corpus topology", async () => {
    const { page, context, record } = await openApp(browser, server.url);
    const name = "aws-samples__serverless-patterns__apigw-rest-vpclink-pvt-alb-terraform";
    const dir = join(TF_CORPUS, name);
    await importThrough(page, async () => {
      await page.getByTestId("import-file").setInputFiles(["main.tf", "outputs.tf", "variables.tf"].map((f) => join(dir, f)));
      assert.match(await page.getByTestId("import-chosen").textContent(), /^Terraform configuration 3 Terraform files: main\.tf, outputs\.tf, variables\.tf$/);
    });
    await card(page, "/load_balancers/private-alb").waitFor();
    await card(page, "/vpc_links/vpclink").waitFor();
    assert.match(await page.getByTestId("notice").textContent(), /Imported 3 Terraform files; 8 resources outside the model skipped/);
    const want = JSON.parse(await readFile(join(TF_CORPUS, `${name}.topology.json`), "utf8"));
    assert.deepEqual(await savedTopology(page), want);
    await shot(page, "09-terraform");
    assert.deepEqual(record.errors, []);
    await context.close();
  });

  test("a Terraform folder with a local module, count and a .tfvars file imports as the reviewed topology", async () => {
    const { page, context, record } = await openApp(browser, server.url);
    const name = "handwritten__module-count";
    await importThrough(page, async () => {
      await page.getByTestId("import-folder").setInputFiles(join(TF_CORPUS, name));
      const chosen = await page.getByTestId("import-chosen").textContent();
      assert.match(chosen, new RegExp(`^Terraform configuration ${name}: `));
      for (const f of ["main.tf", "modules/backend/main.tf", "terraform.tfvars", "variables.tf"]) assert.ok(chosen.includes(f), `${f} in ${chosen}`);
    });
    const want = JSON.parse(await readFile(join(TF_CORPUS, `${name}.topology.json`), "utf8"));
    assert.deepEqual(await savedTopology(page), want);
    assert.match(await page.getByTestId("notice").textContent(), new RegExp(`Imported ${name}`));
    assert.deepEqual(record.errors, []);
    await context.close();
  });

  test("the Terraform export, pasted back, is detected as Terraform and imports to the same topology", async () => {
    const { page, context, record } = await openApp(browser, server.url);
    const original = await savedTopology(page);
    const hcl = await exported(page, "terraform");
    assert.match(hcl, /resource "aws_api_gateway_vpc_link"/);
    await page.getByRole("button", { name: "Close" }).click();

    await importThrough(page, () => page.getByTestId("import-text").fill(hcl));
    const back = await savedTopology(page);
    assert.equal(back.origin?.format, "terraform");
    delete back.origin;
    assert.deepEqual(back, original);
    assert.match(await page.getByTestId("notice").textContent(), /Imported the pasted Terraform/);
    assert.equal(await (await problems(page)).getAttribute("data-problems"), "0");
    assert.deepEqual(record.errors, []);
    await context.close();
  });

  test("HCL that does not parse is refused in the dialog with its file and line", async () => {
    const { page, context, record } = await openApp(browser, server.url);
    await page.getByTestId("import-template").click();
    await page.getByTestId("import-file").setInputFiles({ name: "broken.tf", mimeType: "text/plain", buffer: Buffer.from('resource "aws_vpc" "main" {\n  cidr_block = \n') });
    await page.getByTestId("import-go").click();
    const error = await page.getByTestId("import-error").textContent();
    assert.match(error, /broken\.tf/);
    assert.match(error, /line \d+/);
    await page.getByTestId("import-dialog").waitFor();
    assert.deepEqual(record.errors, []);
    await context.close();
  });

  test("a resource named <img src=x onerror=alert(1)> shows as text and runs nothing", async () => {
    const { page, context, record } = await openApp(browser, server.url);
    const evil = "<img src=x onerror=alert(1)>";
    const t = JSON.parse(await readFile(join(REPO, "examples/three-tier.json"), "utf8"));
    t.instances[evil] = { ...t.instances["web-1"], name: evil };
    t.target_groups.backend.targets.push({ id: evil });
    t.security_groups.app.description = evil;
    t.vpcs.app.name = evil;
    await openTopology(page, t, "evil.json");
    const id = `/instances/${evil}`;
    await card(page, id).waitFor();
    assert.equal(await card(page, id).getByTestId("card-title").textContent(), evil);
    assert.equal(await card(page, "/vpcs/app").getByTestId("card-title").first().textContent(), evil);
    await card(page, id).click();
    assert.equal(await page.getByTestId("inspector-id").textContent(), evil);
    assert.equal(await page.locator('[data-testid="inspector-form"] input[data-path$="/name"]').first().inputValue(), evil);
    // Exports show it as text too.
    await page.getByTestId("export").click();
    await page.getByTestId("export-format").selectOption("mermaid");
    await page.waitForFunction(() => document.querySelector('[data-testid="export-text"]')?.getAttribute("data-ready") === "yes");
    await page.getByRole("button", { name: "Close" }).click();
    await page.waitForTimeout(500);
    assert.equal(await page.locator("img").count(), 0, "no <img> element was created");
    assert.deepEqual(record.dialogs, []);
    assert.ok(!record.requests.some((u) => u.endsWith("/x")), "the browser never fetched src=x");
    await shot(page, "07-escaped");
    assert.deepEqual(record.errors, []);
    await context.close();
  });
});
