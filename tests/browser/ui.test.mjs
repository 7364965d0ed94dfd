// orgwork's web UI in a real headless Chromium (Debian's package, driven by playwright-core),
// against the real server on a fresh demo database. A failing test leaves a screenshot in
// test-artifacts/ at the repository's root.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.ORGWORK_BIN || join(root, 'target', 'debug', 'orgwork');
const artifacts = join(root, 'test-artifacts');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'orgwork-demo';

let dir, server, base, browser, page;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'orgwork-browser-'));
  const db = join(dir, 'demo.db');
  execFileSync(bin, ['demo', '--no-serve', '--database', db], { stdio: 'pipe' });
  server = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--database', db], { stdio: ['ignore', 'pipe', 'pipe'] });
  base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${out}`)), 30000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving on (http:\/\/[0-9.:]+)\//);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`the server exited (${code}): ${out}`)));
  });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-sync', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

afterEach(async (t) => {
  if (page && t.passed === false) {
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, `${t.name.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true });
  }
  await page?.context().close();
  page = undefined;
});

/// Keeps a screenshot for people to look at (in test-artifacts/).
async function keep(name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

async function login(name, locale = 'en-GB', viewport = { width: 1280, height: 720 }) {
  const context = await browser.newContext({ locale, viewport });
  page = await context.newPage();
  await page.goto(`${base}/units`);
  assert.match(page.url(), /\/login\?next=/, 'an anonymous visitor is sent to the login page');
  await page.getByLabel(/User name|Tên người dùng|اسم المستخدم/).fill(name);
  await page.getByLabel(/Password|Mật khẩu|كلمة المرور/).fill(PASSWORD);
  await page.locator('form.card button[type=submit]').click();
  await page.waitForURL(/\/units/);
  return page;
}

test('log in, browse the tree, search', async () => {
  await login('admin');
  await page.getByRole('heading', { name: 'The tree of units' }).waitFor();
  // The bloc is closed; opening it loads its grassroots organizations (htmx).
  const bloc = page.locator('summary:has(> a[href^="/units/QN-KCQ?"])');
  await bloc.click({ position: { x: 4, y: 10 } });
  await page.getByRole('link', { name: 'Department of Finance', exact: true }).waitFor();
  assert.ok(await page.getByRole('link', { name: 'Quang Ninh Newspaper', exact: true }).isVisible());
  await keep('tree-en');
  // The keyboard: one Tab stop per unit (its link, never its summary too); the arrow keys open
  // and close a unit's sub-units.
  await page.goto(`${base}/units`);
  const root = page.locator('.tree a').first();
  await root.focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.tagName + ':' + !!document.activeElement.closest('.tree')), 'A:true');
  const blocLink = page.locator('.tree summary > a[href^="/units/QN-KCQ?"]');
  await blocLink.focus();
  // (Opened by the click above, the browser may bring it back open.)
  if (await blocLink.evaluate((a) => a.closest('details').open)) await page.keyboard.press('ArrowLeft');
  assert.equal(await blocLink.getAttribute('aria-expanded'), 'false');
  await page.keyboard.press('ArrowRight');
  await page.getByRole('link', { name: 'Department of Finance', exact: true }).waitFor();
  assert.equal(await blocLink.getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await blocLink.getAttribute('aria-expanded'), 'false');
  // On a closed unit, the same key goes up to its parent.
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href').split('?')[0]), '/units/QN');
  // Search, accents ignored.
  await page.getByLabel('Search units').fill('tai chinh');
  await page.getByRole('button', { name: 'Show' }).last().click();
  await page.getByRole('heading', { name: /unit(s)? match/ }).waitFor();
  assert.ok(await page.getByRole('link', { name: 'Department of Finance', exact: true }).isVisible());
});

test('the seed\'s restructuring: check, apply, the tree before and after, lineage, undo', async () => {
  await login('admin');
  await page.getByRole('link', { name: 'Restructuring', exact: true }).click();
  await page.getByRole('link', { name: 'Sắp xếp Đảng bộ Khối các cơ quan tỉnh Quảng Ninh' }).click();
  // Each operation says its units by their names in the page's language, codes beside.
  assert.ok(await page.getByText(/^split Party Committee of the Provincial Agencies Bloc of Quang Ninh \(QN-KCQ\) into .+ \(QN-CQD\), .+ \(QN-UBND\)$/).isVisible());
  await page.getByRole('link', { name: 'Run the continuity check' }).click();
  await page.getByRole('status').filter({ hasText: 'The continuity check passed' }).waitFor();
  const impact = page.locator('table.impact tr', { hasText: 'QN-KCQ' });
  assert.match(await impact.textContent(), /split/);
  const qn = page.locator('table.before-after tr', { has: page.locator('th', { hasText: /^QN / }) });
  assert.match(await qn.locator('td').nth(0).textContent(), /QN-KCQ/);
  assert.match(await qn.locator('td').nth(1).textContent(), /\(QN-CQD\)[\s\S]*\(QN-UBND\)/);
  // Every child listed is named, those the draft does not touch as well, code beside.
  const children = await page.locator('table.before-after ul.codes li').allTextContents();
  const bare = children.filter((t) => !/\S.* \([A-Z0-9-]+\)$/.test(t.trim()));
  assert.ok(children.length > 2 && bare.length === 0, `listed by code only: ${bare.join(', ')}`);
  await keep('restructuring-check');
  await page.getByRole('button', { name: 'Apply' }).click();
  // Applying is asked first: what will happen, then the confirmation.
  await page.getByRole('heading', { name: /^Apply “Sắp xếp/ }).waitFor();
  assert.match(await page.locator('section.confirm').textContent(), /1,338 members concerned/);
  await keep('confirm-apply');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('status').filter({ hasText: 'Applied.' }).waitFor();
  assert.equal(await page.locator('#restructure-state').textContent(), 'Applied');
  // The tree the day before still has the bloc; on the day, the two new committees.
  await page.getByRole('link', { name: 'The tree the day before' }).click();
  assert.ok(await page.getByRole('link', { name: /Agencies Bloc/ }).first().isVisible());
  await page.goBack();
  await page.getByRole('link', { name: 'The tree on the effective date' }).click();
  assert.ok(await page.getByRole('link', { name: /Provincial Party Agencies/ }).first().isVisible());
  assert.equal(await page.getByRole('link', { name: /Agencies Bloc/ }).count(), 0);
  // The bloc's page says what replaced it; the Newspaper's committee now sits under the new one.
  await page.goto(`${base}/units/QN-KCQ?as_of=2025-01-31`);
  assert.match(await page.locator('ul.lineage').textContent(), /split into\s*QN-CQD/);
  await page.goto(`${base}/units/QN-KCQ-BAOQN?as_of=2025-02-01`);
  assert.match(await page.locator('dt', { hasText: 'Parent' }).locator('xpath=following-sibling::dd[1]').textContent(), /Provincial Party Agencies/);
  await keep('restructuring-after');
  // Undo: as it was.
  await page.goto(`${base}/restructurings`);
  await page.getByRole('link', { name: 'Sắp xếp Đảng bộ Khối các cơ quan tỉnh Quảng Ninh' }).click();
  await page.getByRole('button', { name: 'Undo' }).click();
  await page.getByRole('status').filter({ hasText: 'Undone' }).waitFor();
  await page.goto(`${base}/units/QN-KCQ-BAOQN?as_of=2025-02-01`);
  assert.match(await page.locator('dt', { hasText: 'Parent' }).locator('xpath=following-sibling::dd[1]').textContent(), /Agencies Bloc/);
  // A new draft from a mapping table uploaded on the page: a fault named by row and column first.
  await page.goto(`${base}/restructurings`);
  await page.locator('summary', { hasText: 'Plan a restructuring' }).click();
  await page.locator('#plan-effective').fill('2025-03-01');
  await page.locator('#plan-file').setInputFiles({ name: 'sap-nhap.csv', mimeType: 'text/csv', buffer: Buffer.from('from,to,to_kind\nQN-KCQ-STP,QN-KCQ-MOI,grassroots_cell\n') });
  await page.getByRole('button', { name: 'Record the draft' }).click();
  await page.getByRole('alert').filter({ hasText: /row 2, column to_name/ }).waitFor();
  await page.locator('#plan-title').fill('Sáp nhập Sở Tư pháp vào Sở Nội vụ');
  await page.locator('#plan-file').setInputFiles({ name: 'sap-nhap.csv', mimeType: 'text/csv', buffer: Buffer.from('from,to\nQN-KCQ-STP,QN-KCQ-SNV\n') });
  await page.getByRole('button', { name: 'Record the draft' }).click();
  await page.getByRole('heading', { name: 'Sáp nhập Sở Tư pháp vào Sở Nội vụ' }).waitFor();
  assert.ok(await page.getByText(/^merge .+ \(QN-KCQ-STP\) into .+ \(QN-KCQ-SNV\)$/).isVisible());
  await page.getByRole('link', { name: 'Run the continuity check' }).click();
  await page.getByRole('status').filter({ hasText: 'The continuity check passed' }).waitFor();
});

test('create and move a unit, and see a validation error by its field', async () => {
  await login('admin');
  await page.goto(`${base}/units/QN-KCQ-STC`);
  await page.getByText('Create a unit under this one').click();
  await page.locator('#create-code').fill('QN-KCQ-STC-C9');
  await page.locator('#create-name_vi').fill('Chi bộ Phòng Quản lý giá');
  await page.locator('#create-name_en').fill('Price management cell');
  await page.locator('#create-valid_from').fill('2025-01-01');
  await page.locator('#create-kind').selectOption('subordinate_cell');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  assert.match(page.url(), /\/units\/QN-KCQ-STC-C9\?as_of=2025-01-01/);
  assert.ok(await page.getByRole('heading', { name: /Price management cell/ }).isVisible());

  // A parent that does not exist: the error stands next to the field, and nothing changes.
  await page.getByText('Move under another unit').click();
  await page.locator('#move-effective').fill('2025-06-01');
  await page.locator('#move-parent').fill('NOPE');
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  const error = page.locator('#move-parent-error');
  await error.waitFor();
  assert.match(await error.textContent(), /no unit with this code/i);
  assert.equal(await page.locator('#move-parent').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#move-parent').inputValue(), 'NOPE', 'the form keeps what was typed');
  await keep('form-error-en');

  // A kind that may not go there.
  await page.locator('#move-parent').fill('QN');
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  await page.locator('#move-parent-error').filter({ hasText: /may not sit under/ }).waitFor();

  // A right move.
  await page.locator('#move-parent').fill('QN-KCQ-SCT');
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  const parentRow = page.locator('dt', { hasText: 'Parent' }).locator('xpath=following-sibling::dd[1]');
  assert.match(await parentRow.textContent(), /Industry and Trade/);
  assert.ok(await page.getByRole('cell', { name: /Moved from QN-KCQ-STC to QN-KCQ-SCT/ }).isVisible());
  // The day before, it was still under the Department of Finance.
  await page.goto(`${base}/units/QN-KCQ-STC-C9?as_of=2025-05-31`);
  assert.match(await page.locator('dt', { hasText: 'Parent' }).locator('xpath=following-sibling::dd[1]').textContent(), /Department of Finance/);
  // The administrator sees the audit entries of the unit.
  assert.ok(await page.getByRole('cell', { name: 'unit moved' }).first().isVisible());
});

test('Arabic pages are right to left; Vietnamese is chosen from the browser', async () => {
  await login('organizer.kcq', 'vi-VN');
  assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
  await page.getByRole('heading', { name: 'Cây tổ chức' }).waitFor();
  // The top of the organizer's scope is open from the start.
  await page.getByRole('link', { name: 'Đảng bộ Sở Tài chính', exact: true }).waitFor();
  await keep('tree-vi');
  await page.locator('#lang-select').selectOption('ar');
  await page.locator('#lang-select').locator('xpath=following-sibling::button').click();
  await page.getByRole('heading', { name: 'شجرة الوحدات' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
  // The layout is mirrored: the brand sits at the right edge.
  const brand = await page.locator('.brand').boundingBox();
  const width = page.viewportSize().width;
  assert.ok(brand.x > width / 2, `the brand is on the right in Arabic (x = ${brand.x} of ${width})`);
  await page.goto(`${base}/units/QN-KCQ-STC`);
  await page.getByRole('heading', { name: /دائرة المالية/ }).waitFor();
  await keep('unit-page-ar');
  // The choice is kept with the account: a new browser shows Arabic too.
  await page.context().close();
  await login('organizer.kcq', 'en-GB');
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
});

test('the home page: the unit at a glance, its chart and figures linking to their lists', async () => {
  await login('secretary.stc');
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: /at a glance/ }).waitFor();
  assert.ok(await page.locator('svg.chart').isVisible());
  // The chart's table, for screen readers: a row per status and category, each a link.
  const women = page.locator('#members-table tr', { hasText: 'Woman' });
  await women.getByRole('link').click();
  await page.waitForURL(/category=female/);
  await page.goto(`${base}/`);
  await keep('home-en');
  await page.locator('#lang-select').selectOption('vi');
  await page.locator('#lang-select').locator('xpath=following-sibling::button').click();
  await page.getByRole('heading', { name: /^Tổng quan/ }).waitFor();
  await keep('home-vi');
  await page.locator('#lang-select').selectOption('ar');
  await page.locator('#lang-select').locator('xpath=following-sibling::button').click();
  await page.getByRole('heading', { name: /في لمحة/ }).waitFor();
  await keep('home-ar');
  await page.locator('#lang-select').selectOption('en');
  await page.locator('#lang-select').locator('xpath=following-sibling::button').click();
  await page.getByRole('heading', { name: /at a glance/ }).waitFor();
});

test('a secretary sees only their subtree', async () => {
  await login('secretary.stc');
  const tree = page.locator('ul.tree');
  await tree.waitFor();
  assert.ok(await tree.getByRole('link', { name: 'Department of Finance', exact: true }).isVisible());
  assert.equal(await tree.getByRole('link', { name: 'Quang Ninh Newspaper', exact: true }).count(), 0);
  const response = await page.goto(`${base}/units/QN-KCQ-BAOQN`);
  assert.equal(response.status(), 403);
  assert.ok(await page.getByText('This is outside what your role lets you see or change.').isVisible());
  await keep('out-of-scope-en');
  // No way in by search either.
  await page.goto(`${base}/units?q=bao`);
  assert.equal(await page.getByRole('link', { name: 'Quang Ninh Newspaper', exact: true }).count(), 0);
  // No audit log in the menu for a non-administrator.
  assert.equal(await page.getByRole('link', { name: 'Audit log' }).count(), 0);
});

test('members: counts on the unit page, search as one types, admit, change a status', async () => {
  await login('secretary.stc');
  await page.goto(`${base}/units/QN-KCQ-STC`);
  await page.getByRole('heading', { name: /Members on/ }).waitFor();
  const total = Number((await page.locator('table.stats tr').first().locator('td').textContent()).replace(/,/g, ''));
  assert.ok(total > 10, `the Department of Finance has members (${total})`);
  await page.getByRole('link', { name: 'Members →' }).click();
  await page.getByRole('heading', { name: /Members of/ }).waitFor();
  // Admit a member; a bad date first.
  await page.locator('summary', { hasText: 'Admit a member' }).click();
  await page.locator('#member-full_name').fill('Bùi Thụy Khanh');
  await page.locator('#member-sex').selectOption('female');
  await page.locator('#member-birth_date').fill('2001-02-30');
  await page.locator('#member-admitted_on').fill('2024-03-01');
  await page.getByRole('button', { name: 'Admit a member' }).click();
  await page.locator('#member-birth_date-error').waitFor();
  assert.equal(await page.locator('#member-full_name').inputValue(), 'Bùi Thụy Khanh');
  await page.locator('#member-birth_date').fill('2001-02-20');
  await page.getByRole('button', { name: 'Admit a member' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  assert.ok(await page.getByRole('heading', { name: 'Bùi Thụy Khanh' }).isVisible());
  await keep('member-en');
  // Search without accents finds her.
  await page.goto(`${base}/units/QN-KCQ-STC/members?q=bui+thuy+kh`);
  await page.getByRole('link', { name: 'Bùi Thụy Khanh' }).waitFor();
  // Made official; the count of official members moves on that day, not before.
  await page.getByRole('link', { name: 'Bùi Thụy Khanh' }).click();
  await page.locator('summary', { hasText: 'Change the status' }).click();
  await page.locator('#status-status').selectOption('official');
  await page.locator('#status-effective').fill('2025-03-01');
  await page.getByRole('button', { name: 'Change the status' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  assert.ok(await page.getByRole('cell', { name: 'Official' }).first().isVisible());
  // A correction of the record, with a bad card number refused by its field first.
  await page.locator('summary', { hasText: 'Correct the record' }).click();
  await page.locator('#edit-card_number').fill('12AB');
  await page.locator('#edit-hometown').fill('Hạ Long');
  await page.getByRole('button', { name: 'Correct the record' }).click();
  await page.locator('#edit-card_number-error').waitFor();
  await page.locator('#edit-card_number').fill('');
  await page.getByRole('button', { name: 'Correct the record' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  assert.ok(await page.getByText('Hạ Long').first().isVisible());
  // Out of scope: another unit's members are not even found.
  const r = await page.goto(`${base}/units/QN-KCQ-BAOQN/members`);
  assert.equal(r.status(), 403);
});

test('a transfer: issued by the sender, received by the receiver, counts moving on that day', async () => {
  await login('secretary.stc');
  await page.goto(`${base}/units/QN-KCQ-STC/members?q=bui+thuy+khanh`);
  await page.getByRole('link', { name: 'Bùi Thụy Khanh' }).click();
  await page.locator('summary', { hasText: 'Transfer to another unit' }).click();
  await page.locator('#transfer-to_unit').fill('QN-KCQ-SCT');
  await page.locator('#transfer-issued_on').fill('2026-01-10');
  await page.getByRole('button', { name: 'Transfer to another unit' }).click();
  await page.getByRole('status').filter({ hasText: /A transfer of this member is waiting/ }).waitFor();
  await page.context().close();

  await login('organizer.kcq');
  await page.goto(`${base}/units/QN-KCQ-SCT/transfers`);
  const row = page.locator('tr', { hasText: 'Bùi Thụy Khanh' });
  await row.locator('input.date').fill('2026-01-20');
  // (This organizer chose Arabic earlier; the choice is kept with the account.)
  await row.locator('button[type=submit]').click();
  // Receiving is asked first: what will happen, in the page's language, then the confirmation.
  await page.locator('section.confirm').waitFor();
  assert.match(await page.locator('section.confirm li').first().textContent(), /Bùi Thụy Khanh/);
  await keep('confirm-accept-ar');
  await page.locator('section.confirm button[type=submit]').click();
  await page.getByRole('status').waitFor();
  await keep('transfers-ar');
  await page.goto(`${base}/units/QN-KCQ-SCT/members?q=bui+thuy+khanh&as_of=2026-01-20`);
  await page.getByRole('link', { name: 'Bùi Thụy Khanh' }).waitFor();
  await page.goto(`${base}/units/QN-KCQ-SCT/members?q=bui+thuy+khanh&as_of=2026-01-19`);
  assert.equal(await page.getByRole('link', { name: 'Bùi Thụy Khanh' }).count(), 0, 'still with the sender the day before');
  // The demo's overdue transfer is flagged.
  await page.goto(`${base}/units/QN-KCQ-STC/transfers`);
  assert.ok(await page.locator('tr.overdue').first().isVisible());
});

test('import a file: faults by row first, then a preview, then the import', async () => {
  await login('secretary.stc');
  await page.goto(`${base}/units/QN-KCQ-STC/members`);
  await page.getByRole('link', { name: 'Import from a file' }).click();
  const bad = '\ufeffHọ và tên;Giới tính;Ngày sinh;Ngày vào Đảng;Số thẻ đảng viên;Chi bộ\r\n'
    + 'Lý Thị Nhập;Nữ;03/04/1995;05/06/2019;88000001;QN-KCQ-STC-C2\r\n'
    + 'Vương Văn Sai;Nam;31/02/1990;05/06/2019;88000002;QN-KCQ-STC-C2\r\n';
  await page.locator('#file').setInputFiles({ name: 'tu-so.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('heading', { name: /One fault; nothing will be imported/ }).waitFor();
  assert.ok(await page.getByRole('cell', { name: '31/02/1990' }).isVisible());
  await keep('import-errors-en');
  const good = bad.replace('31/02/1990', '28/02/1990');
  await page.locator('#file').setInputFiles({ name: 'tu-so.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('heading', { name: /2 to create, 0 to update, 0 unchanged/ }).waitFor();
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /Imported: 2 created/ }).waitFor();
  await page.goto(`${base}/units/QN-KCQ-STC/members?q=ly+thi+nhap`);
  await page.getByRole('link', { name: 'Lý Thị Nhập' }).waitFor();
});

test('a Vietnamese file: its values read by their names, its faults said in Vietnamese', async () => {
  await login('secretary.stc', 'vi-VN');
  // The account's own choice of language comes first: choose Vietnamese.
  await page.locator('#lang-select').selectOption('vi');
  await page.locator('#lang-select').locator('xpath=following-sibling::button').click();
  await page.waitForFunction(() => document.documentElement.lang === 'vi');
  await page.goto(`${base}/units/QN-KCQ-STC/members/import`);
  const bad = '\ufeffHọ và tên,Giới tính,Ngày sinh,Ngày vào Đảng,Nghề nghiệp,Trình độ học vấn,Chi bộ\r\n'
    + 'Đinh Thị Việt,Nữ,03/04/1995,05/06/2019,Công chức,đại học,QN-KCQ-STC-C2\r\n'
    + 'Đinh Văn Sai,Nam,31/02/1990,05/06/2019,Bác sĩ,Đại học,QN-KCQ-STC-C2\r\n';
  await page.locator('#file').setInputFiles({ name: 'viet.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await page.getByRole('cell', { name: 'là ngày không có trong lịch' }).waitFor();
  // The occupation no list holds: the allowed values named in Vietnamese, not by their codes.
  const why = await page.getByRole('cell', { name: /không phải một trong/ }).textContent();
  assert.match(why, /Công chức, Viên chức/);
  assert.doesNotMatch(await page.locator('main').textContent(), /civil_servant|is not|required/);
  await keep('import-errors-vi');
  const good = bad.replace('31/02/1990', '28/02/1990').replace('Bác sĩ', 'Viên chức');
  await page.locator('#file').setInputFiles({ name: 'viet.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  // The preview lists what the import will do, row by row.
  await page.locator('#import-lines').getByRole('cell', { name: 'Đinh Thị Việt' }).waitFor();
  assert.equal(await page.locator('#import-lines tbody tr').count(), 2);
  assert.ok(await page.locator('#import-lines').getByRole('cell', { name: 'thêm đảng viên mới' }).first().isVisible());
  await keep('import-preview-vi');
  await page.getByRole('button', { name: 'Nhập', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /Đã nhập: 2 thêm mới/ }).waitFor();
  await page.goto(`${base}/units/QN-KCQ-STC/members?q=dinh+thi+viet`);
  await page.getByRole('link', { name: 'Đinh Thị Việt' }).click();
  await page.locator('dd', { hasText: /^Công chức$/ }).waitFor();
  await page.locator('dd', { hasText: /^Đại học$/ }).waitFor();
  await keep('member-vi');
  // Back to English, which the later tests of this account read.
  await page.locator('#lang-select').selectOption('en');
  await page.locator('#lang-select').locator('xpath=following-sibling::button').click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
});

test('a large file is checked and imported in the background, with its progress shown', async () => {
  await login('secretary.stc');
  const surnames = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Đặng', 'Bùi', 'Đỗ'];
  const given = ['An', 'Bình', 'Châu', 'Dũng', 'Hà', 'Khánh', 'Lan', 'Minh', 'Ngọc', 'Thủy'];
  let csv = 'full_name,sex,birth_date,admitted_on,card_number,unit\n';
  for (let i = 0; i < 10000; i++) {
    const name = `${surnames[i % 8]} Văn ${given[Math.floor(i / 8) % 10]} ${i}`;
    csv += `${name},male,19${60 + (i % 40)}-0${1 + (i % 9)}-15,2021-0${1 + (i % 9)}-20,9${String(i).padStart(7, '0')},QN-KCQ-STC-C${1 + (i % 2)}\n`;
  }
  await page.goto(`${base}/units/QN-KCQ-STC/members/import`);
  await page.locator('#file').setInputFiles({ name: 'lon.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.waitForURL(/\/members\/import\/jobs\//);
  // The page shows how far the check has got and refreshes itself until it is done.
  const seen = await page.locator('#import-bar').count();
  if (seen) await keep('import-progress');
  await page.getByRole('heading', { name: /10,000 to create, 0 to update, 0 unchanged/ }).waitFor({ timeout: 180000 });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.waitForURL(/\/members\/import\/jobs\//);
  assert.ok(seen + await page.locator('#import-bar').count() > 0, 'the progress was shown');
  await page.getByRole('status').filter({ hasText: /Imported: 10,000 created/ }).waitFor({ timeout: 180000 });
  await page.goto(`${base}/units/QN-KCQ-STC/members?q=9999`);
  await page.getByRole('link', { name: 'Đỗ Văn Thủy 9999' }).waitFor();
});

test('a candidate proposed, then admitted: a probationary member and the year\'s figures', async () => {
  await login('secretary.stc');
  await page.goto(`${base}/units/QN-KCQ-STC`);
  await page.getByRole('link', { name: 'Candidates for admission →' }).click();
  await page.locator('summary', { hasText: 'Propose a candidate' }).click();
  await page.locator('#candidate-full_name').fill('Mạc Thị Ứng');
  await page.locator('#candidate-sex').selectOption('female');
  await page.locator('#candidate-birth_date').fill('2003-03-03');
  await page.locator('#candidate-occupation').fill('student');
  await page.locator('#candidate-course').fill('Lớp bồi dưỡng nhận thức về Đảng 2026');
  await page.locator('#candidate-proposed_on').fill('2026-02-01');
  await page.getByRole('button', { name: 'Propose a candidate' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  const row = page.locator('tr', { hasText: 'Mạc Thị Ứng' });
  await row.locator('input.date').fill('2026-03-01');
  await row.getByRole('button', { name: 'Admit' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  assert.ok(await page.locator('tr', { hasText: 'Mạc Thị Ứng' }).getByRole('link', { name: 'admitted' }).isVisible());
  await page.goto(`${base}/units/QN-KCQ-STC?as_of=2026-06-01`);
  await page.getByText(/Admitted in 2026: \d+ \(\d+ young, [1-9]\d* students\)/).waitFor();
});

test('at phone width: the header folds into a menu, lists are stacked cards, nothing scrolls the page', async () => {
  await login('secretary.stc', 'en-GB', { width: 390, height: 844 });
  const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
  for (const path of ['/', '/units/QN-KCQ-STC', '/units/QN-KCQ-STC/members', '/units/QN-KCQ-STC/transfers',
    '/units/QN-KCQ-STC/candidates', '/audit']) {
    const r = await page.goto(`${base}${path}`);
    if (r.status() !== 200) continue;
    assert.ok(await pageWidth() <= 390, `${path} is ${await pageWidth()} px wide at 390`);
    const header = await page.locator('header.top').boundingBox();
    assert.ok(header.height < 70, `${path}: the header takes one row (${header.height} px)`);
  }
  await page.goto(`${base}/units/QN-KCQ-STC/members`);
  const card = await page.locator('table.cards tbody tr').first().boundingBox();
  assert.ok(card.width <= 370, `a member is a card (${card.width} px)`);
  const label = await page.evaluate(() =>
    getComputedStyle(document.querySelector('table.cards tbody tr td:nth-child(2)'), '::before').content);
  assert.match(label, /Date of birth/, 'each value says what it is');
  await keep('phone-members');
  await page.goto(`${base}/units/QN-KCQ-STC/transfers`);
  await keep('phone-transfers');
  // The menu opens without a script, and leads on.
  await page.locator('summary', { hasText: 'Menu' }).click();
  await keep('phone-menu');
  await page.locator('details.menu').getByRole('link', { name: 'Home' }).click();
  await page.waitForURL(`${base}/`);
});

test('the demo\'s work programme: items, achievement, the overdue item, the roll-up', async () => {
  await login('secretary.stc');
  await page.goto(`${base}/units/QN-KCQ-STC`);
  await page.getByRole('link', { name: /work programme/ }).click();
  await page.getByRole('heading', { name: 'Work programme of Department of Finance, 2025' }).waitFor();
  assert.equal(await page.locator('#programme-status').textContent(), 'Approved · decision \u206812-QĐ/ĐU\u2069 of 20 January 2025');
  // Inspections lag: two of three by the deadline, flagged.
  assert.match(await page.locator('#item-2').textContent(), /overdue/);
  await keep('programme-en');
  // The Bloc's admissions item sums what the departments carry out (5 + 4 of 60).
  await page.context().close();
  await login('organizer.kcq');
  await page.goto(`${base}/units/QN-KCQ/programme?year=2025`);
  await page.getByRole('heading', { name: /2025/ }).waitFor();
  assert.match(await page.locator('#item-1').textContent(), /15 %/);
  await keep('programme-bloc');
});

test('a programme from a file: faults by row and column, then the draft; the Bloc charts its units', async () => {
  await login('planner.kcq');
  await page.goto(`${base}/units/QN-KCQ-BAOQN/programme?year=2027`);
  await page.getByRole('heading', { name: 'This unit has no work programme for 2027.' }).waitFor();
  const bad = '\ufeffMã,Nội dung,Đơn vị chủ trì,Loại chỉ tiêu,Giá trị ban đầu,Mục tiêu,Thời hạn\r\n'
    + '1,Xuất bản 12 chuyên trang về xây dựng Đảng,QN-KCQ-BAOQN,Số lượng,0,nhiều,31/12/2027\r\n';
  await page.locator('#new-file').setInputFiles({ name: 'ct-2027.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.getByRole('button', { name: 'Draft the programme from a file' }).click();
  assert.ok(await page.getByRole('cell', { name: 'nhiều' }).isVisible());
  assert.ok(await page.getByRole('cell', { name: 'Target' }).isVisible());
  await keep('programme-file-faults');
  const good = bad.replace('nhiều', '12');
  await page.locator('#new-file').setInputFiles({ name: 'ct-2027.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await page.getByRole('button', { name: 'Draft the programme from a file' }).click();
  await page.getByRole('heading', { name: /2027/ }).waitFor();
  assert.match(await page.locator('#programme-status').textContent(), /Draft/);
  assert.match(await page.locator('#item-1').textContent(), /Xuất bản 12 chuyên trang/);
  const csv = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
  const text = await page.evaluate(async (u) => (await fetch(u)).text(), csv);
  assert.match(text, /^"code","parent","title"/);
  // The Bloc's page: its programme's completion and each unit's under it, with the table.
  await page.goto(`${base}/units/QN-KCQ?as_of=2025-12-31`);
  await page.locator('#programmes-table').waitFor();
  assert.ok(await page.locator('#programmes svg.chart').isVisible());
  await keep('unit-programmes');
});

test('inspection: the Bloc\'s calendar, a concluded inspection, its conclusion to print, a verification, in three languages', async () => {
  await login('inspector.kcq');
  await page.getByRole('link', { name: 'Inspection', exact: true }).first().click();
  await page.getByRole('heading', { name: /Inspection and supervision programme of .*2026/ }).waitFor();
  await page.goto(`${base}/inspections?unit=QN-KCQ&year=2025`);
  await page.getByRole('heading', { name: /programme of .*2025/ }).waitFor();
  const rows = page.locator('table.calendar tbody tr');
  assert.equal(await rows.count(), 3);
  // The deferred one, in September and October, with the reason in the changes since approval.
  const deferred = rows.filter({ hasText: 'Kê khai tài sản' });
  assert.match(await deferred.textContent(), /Deferred/);
  assert.equal(await deferred.locator('td.on').count(), 2);
  assert.ok(await page.getByText('Chờ hướng dẫn kê khai sau sắp xếp tổ chức bộ máy').isVisible());
  await keep('inspection-calendar-en');
  // 2024: the finance inspection of the Department of Finance, concluded, to its conclusion.
  await page.getByRole('link', { name: '2024', exact: true }).click();
  await page.getByRole('link', { name: 'Thu, nộp và quản lý đảng phí năm 2023' }).click();
  await page.getByRole('heading', { name: 'Thu, nộp và quản lý đảng phí năm 2023' }).waitFor();
  assert.match(await page.locator('#inspection-status').textContent(), /Concluded/);
  assert.ok(await page.getByText('Thu đảng phí chậm ba tháng, sổ thu chưa ghi đủ').isVisible());
  // The overdue recommendation is flagged.
  assert.match(await page.locator('table.recommendations tr.overdue').textContent(), /Ghi đủ sổ thu/);
  await page.getByRole('link', { name: 'Conclusion of the inspection' }).click();
  await page.getByRole('heading', { name: 'Conclusion of the inspection' }).waitFor();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.noprint').isVisible(), false, 'the print hides the page\'s links');
  await keep('inspection-conclusion-print');
  await page.emulateMedia({ media: 'screen' });
  // The follow-up: the Newspaper's recommendation awaits verification; the inspector verifies it.
  await page.goto(`${base}/recommendations?unit=QN-KCQ&view=awaiting`);
  const awaiting = page.locator('table.recommendations tbody tr', { hasText: 'quy chế bảo mật dữ liệu' });
  await awaiting.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
  await page.goto(`${base}/recommendations?unit=QN-KCQ&view=all`);
  assert.match(await page.locator('table.recommendations tbody tr', { hasText: 'quy chế bảo mật dữ liệu' }).textContent(), /Verified/);
  // The coverage of 2024, as a tree coloured by what each unit had.
  await page.goto(`${base}/inspections/coverage?unit=QN-KCQ&year=2024&since=2024`);
  assert.match(await page.locator('.coverage-tree li.cover-inspected').first().textContent(), /QN-KCQ-STC/);
  assert.match(await page.locator('.coverage-tree li.cover-supervised').first().textContent(), /QN-KCQ-BAOQN/);
  await keep('inspection-coverage-en');
  // Vietnamese and Arabic.
  await page.context().close();
  await login('inspector.kcq', 'vi-VN');
  await page.goto(`${base}/inspections?unit=QN-KCQ&year=2025`);
  await page.getByRole('heading', { name: /Chương trình kiểm tra, giám sát của .* năm 2025/ }).waitFor();
  assert.match(await page.locator('table.calendar').textContent(), /Tạm hoãn/);
  await keep('inspection-calendar-vi');
  await page.context().close();
  await login('inspector.kcq', 'ar');
  await page.goto(`${base}/discipline?unit=QN-KCQ&year=2024`);
  await page.getByRole('heading', { name: 'القضايا الانضباطية' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.match(await page.locator('table.cards tbody').textContent(), /خُفف الإجراء|إنذار/);
  await keep('inspection-discipline-ar');
});

test('congresses: the Bloc\'s delegates shared, a round counted into minutes, in three languages', async () => {
  // The organizer's account keeps the language chosen last (Arabic, by an earlier test): choose.
  const language = async (lang) => {
    await page.locator('#lang-select').selectOption(lang);
    await page.locator('#lang-select').locator('xpath=following-sibling::button').click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  };
  await login('organizer.kcq');
  await language('en');
  await page.getByRole('link', { name: 'Congresses', exact: true }).first().click();
  await page.getByRole('heading', { name: "The term's congresses" }).waitFor();
  // The demo's 2025-2030 term under the Bloc: a row a congress, the pilot ringed, the check's
  // verdict. It holds on the demo as created; a unit an earlier test created under the Bloc
  // (QN-KCQ-STC-C9, from 2025) has no congress, and the check names it.
  assert.ok(await page.locator('.timeline-row').count() > 20, 'a timeline row per congress');
  assert.equal(await page.locator('.timeline-dot.pilot').count(), 1);
  await page.locator('#schedule-passed, #schedule-breaches').first().waitFor();
  if (await page.locator('#schedule-breaches').count() > 0) {
    assert.match(await page.locator('#schedule-breaches').textContent(), /QN-KCQ-STC-C9/);
  }
  await keep('congress-schedule-en');
  // The Bloc's own congress: its delegates and credentials (137 of 138 convened).
  await page.locator('#congress-table a', { hasText: 'Party Committee of the Provincial Agencies Bloc' }).first().click();
  await page.getByRole('heading', { name: 'Credentials' }).waitFor();
  const convened = page.locator('#credentials dt', { hasText: /^Convened$/ }).locator('xpath=following-sibling::dd[1]');
  assert.equal((await convened.textContent()).trim(), '137');
  assert.ok(await page.locator('table.delegates tbody tr').count() >= 138);
  await keep('congress-delegates-en');
  await page.goto(`${base}/congresses/schedule`);
  await page.getByRole('link', { name: 'Apportionment of delegates' }).first().click();
  await page.getByRole('heading', { name: 'Apportionment of delegates' }).waitFor();
  await page.getByLabel('Method').selectOption('huntington-hill');
  await page.getByLabel('Seats', { exact: true }).fill('60');
  await page.getByLabel('The children of unit').fill('QN-KCQ');
  await page.getByLabel('counted on').fill('30/06/2025');
  await page.getByLabel('Ex-officio delegates').fill('15');
  await page.getByRole('button', { name: 'Share the seats' }).click();
  await page.getByRole('heading', { name: 'Apportionment', exact: true }).waitFor();
  const rows = page.locator('table.apportionment tbody tr');
  assert.ok(await rows.count() > 10, 'a row per unit of the Bloc');
  // Huntington-Hill gives every unit with members a seat first.
  const seats = await page.locator('table.apportionment tbody td:last-child').allTextContents();
  assert.ok(seats.every((x) => Number(x.replace(/[^0-9]/g, '')) >= 1), seats.join(' '));
  assert.ok(await page.locator('#apportionment-unique, #apportionment-ties').first().isVisible());
  await keep('congress-apportion-en');
  await page.getByRole('link', { name: 'Counting a round of an election' }).click();
  await page.getByLabel('Seats', { exact: true }).fill('2');
  await page.getByLabel('Base', { exact: true }).selectOption('convened');
  await page.getByLabel('Delegates convened').fill('6');
  await page.getByLabel('Ballots', { exact: true }).fill('Nguyễn Văn An,Trần Thị Bình,Lê Văn Chi\n1,1,0\n1,1,0\n1,0,1\n1,1,1\n1,1,0\n');
  await page.getByRole('button', { name: 'Count', exact: true }).click();
  await page.getByRole('heading', { name: 'Minutes of the count' }).waitFor();
  // An 4, Bình 3 of 6 convened: An elected; Bình not more than half; one seat to a further round.
  assert.match(await page.locator('#count-elected').textContent(), /Nguyễn Văn An/);
  assert.match(await page.locator('#count-next-round').textContent(), /1 seat\(s\) unfilled/);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#count-form').isVisible(), false, 'the print shows the minutes only');
  await keep('congress-minutes-print');
  await page.emulateMedia({ media: 'screen' });
  await page.context().close();
  await login('organizer.kcq', 'vi-VN');
  await language('vi');
  await page.goto(`${base}/congresses/count`);
  await page.getByRole('heading', { name: 'Kiểm phiếu một lần bầu' }).waitFor();
  await page.getByLabel('Số đại biểu', { exact: true }).fill('1');
  await page.getByLabel('Cơ sở tính', { exact: true }).selectOption('valid');
  await page.getByLabel('Phiếu bầu', { exact: true }).fill('An,Bình\n1,0\n0,1\n');
  await page.getByRole('button', { name: 'Kiểm phiếu', exact: true }).click();
  await page.getByRole('heading', { name: 'Biên bản kiểm phiếu' }).waitFor();
  assert.match(await page.locator('#count-elected').textContent(), /Không có/);
  await keep('congress-minutes-vi');
  await page.context().close();
  await login('organizer.kcq', 'ar');
  await language('ar');
  await page.goto(`${base}/congresses/schedule`);
  await page.getByRole('heading', { name: 'مؤتمرات الدورة' }).waitFor();
  await page.locator('#schedule-passed, #schedule-breaches').first().waitFor();
  await keep('congress-schedule-ar');
  await page.goto(`${base}/congresses/apportion`);
  await page.getByRole('heading', { name: 'توزيع المندوبين' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  await page.getByLabel('المقاعد', { exact: true }).fill('3');
  await page.getByLabel('الطريقة').selectOption('dhondt');
  await page.getByLabel('أو صفوف unit,members').fill('unit,members\nA,10\nB,10\nC,5\n');
  await page.getByRole('button', { name: 'وزّع المقاعد' }).click();
  await page.locator('#apportionment-ties').waitFor();
  assert.match(await page.locator('#apportionment-ties').textContent(), /A, B, C/);
  await keep('congress-apportion-ar');
});

test('an election in two rounds: the Bloc committee, a ballot entered, the minutes, in two languages', async () => {
  await login('organizer.kcq');
  const language = async (lang) => {
    await page.locator('#lang-select').selectOption(lang);
    await page.locator('#lang-select').locator('xpath=following-sibling::button').click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  };
  await language('en');
  await page.goto(`${base}/congresses/schedule`);
  await page.locator('#congress-table a', { hasText: 'Party Committee of the Provincial Agencies Bloc' }).first().click();
  await page.getByRole('heading', { name: 'Credentials' }).waitFor();
  const congress = page.url();
  // Its delegates apportioned on the record among its grassroots organizations: 2 each, the
  // rest by largest remainder, 123 in all with 15 ex officio on top.
  assert.ok(await page.locator('#apportionment table.apportionment tbody tr').count() > 30);
  assert.match(await page.locator('#apportionment').textContent(), /123 seats shared by Largest remainder/);
  await page.locator('#apportionment').screenshot({ path: join(artifacts, 'congress-apportionment-record-en.png') });
  // The demo's committee election: 15 seats; round one leaves one to a tie, round two fills it.
  await page.getByRole('link', { name: /Ban Chấp hành Đảng bộ Khối/ }).click();
  await page.getByRole('heading', { name: 'Rounds' }).waitFor();
  assert.match(await page.locator('#round-1 h3').textContent(), /Round 1: 15 seat\(s\), 17 on the ballot; counted/);
  assert.match(await page.locator('#round-1 .round-tied').textContent(), /,/);
  assert.match(await page.locator('#round-1 .round-next').textContent(), /1 seat\(s\) unfilled: a further round with/);
  assert.equal(await page.locator('#round-1 tr.elected').count(), 14);
  assert.equal(await page.locator('#round-2 tr.elected').count(), 1);
  assert.equal(await page.locator('#publish-form').count(), 0, 'published by the demo');
  await keep('congress-election-en');
  await page.locator('#round-2 a.minutes-link').click();
  await page.getByRole('heading', { name: 'Minutes of the count, round 2' }).waitFor();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('a', { hasText: 'Back' }).isVisible(), false, 'the print shows the minutes only');
  await keep('congress-round-minutes-print');
  await page.emulateMedia({ media: 'screen' });
  // A new election from the congress page, a ballot entered by unticking a name.
  await page.goto(congress);
  await page.getByLabel('What is elected').fill('Ủy ban Kiểm tra Đảng ủy Khối');
  await page.locator('#el-seats').fill('1');
  await page.getByRole('button', { name: 'Open the election' }).click();
  const card = page.locator('.election', { hasText: 'Ủy ban Kiểm tra Đảng ủy Khối' });
  await card.locator('textarea').fill('name\nLê Văn An\nTrần Thị Bình\n');
  await card.getByRole('button', { name: 'Record the list' }).click();
  await page.getByRole('link', { name: 'Ủy ban Kiểm tra Đảng ủy Khối' }).click();
  await page.getByRole('button', { name: 'Open the first round' }).click();
  await page.locator('#ballot-form-1').waitFor();
  await page.locator('#ballot-form-1').getByLabel('Trần Thị Bình').uncheck();
  await page.getByRole('button', { name: 'Record the ballot' }).click();
  assert.match(await page.locator('#round-1 .round-entered').textContent(), /1 ballot\(s\) entered/);
  await keep('congress-ballot-entry-en');
  await page.getByRole('button', { name: 'Count the round' }).click();
  // One vote of 137 convened passes nobody: round two opens with both.
  await page.locator('#round-2').waitFor();
  assert.match(await page.locator('#round-1 .round-next').textContent(), /Lê Văn An, Trần Thị Bình/);
  await language('ar');
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  await page.getByRole('heading', { name: 'الجولات' }).waitFor();
  assert.match(await page.locator('#round-1 h3').textContent(), /الجولة 1/);
  await keep('congress-election-ar');
  await language('en');
});

test('wrong passwords are refused, then rate-limited', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  page = await context.newPage();
  for (let i = 0; i < 5; i++) {
    await page.goto(`${base}/login`);
    await page.getByLabel('User name').fill('viewer.baoqn');
    await page.getByLabel('Password').fill('not the password');
    await page.locator('form.card button[type=submit]').click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').textContent(), /wrong/);
  }
  await page.getByLabel('User name').fill('viewer.baoqn');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.locator('form.card button[type=submit]').click();
  await page.getByRole('alert').filter({ hasText: /Too many failed attempts/ }).waitFor();
});
