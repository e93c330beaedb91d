/*
 * Browser end-to-end tests: a runner's whole first day with Cadence, in
 * Debian's chromium driven by playwright-core, once on a phone-sized
 * screen and once on a desktop one.
 *
 *   sign up -> build a plan with the real form -> read the calendar and a
 *   week -> connect Strava (the sandbox's consent page, another origin;
 *   a month of earlier runs is imported) -> record a run in the sandbox
 *   for a planned workout -> the sandbox sends the webhook -> the workout
 *   shows as done in Cadence -> fitness, fatigue and form -> the run's
 *   route and splits -> "Adjust my plan": old and new weeks side by side,
 *   accepted.
 *
 * Needs CADENCE_URL and SANDBOX_URL (tests/e2e/run.sh or scripts/test.sh
 * start an environment and set them).  Screenshots go to E2E_OUT
 * (default build/e2e).  A failing step names itself, the page URL and a
 * screenshot of the page at that moment.
 *
 * Run with node's own runner: node --test --test-reporter=tap e2e.test.mjs
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CADENCE_URL = need('CADENCE_URL');
const SANDBOX_URL = need('SANDBOX_URL');
const CLIENT_ID = process.env.STRAVA_CLIENT_ID || '1000';
const CLIENT_SECRET = process.env.STRAVA_CLIENT_SECRET || 'sandbox-secret';
const VERIFY_TOKEN = process.env.STRAVA_WEBHOOK_VERIFY_TOKEN || 'test-verify-token';
const OUT = path.resolve(process.env.E2E_OUT || path.join(HERE, '../../build/e2e'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/* How long a recorded run may take to show as done (webhook + job). */
const DONE_TIMEOUT_MS = Number(process.env.E2E_DONE_TIMEOUT_MS || 10000);
const STEP_TIMEOUT_MS = 15000;

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'];
/* Time zones the sandbox knows (docs/strava-sandbox.md). */
const SANDBOX_ZONES = ['Europe/Paris', 'Europe/London', 'Europe/Berlin',
    'America/New_York', 'America/Sao_Paulo', 'Asia/Tokyo', 'UTC'];
const RUN_PACE_S_PER_KM = 360;	/* the recorded run: 6:00/km */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug',
    'Sep', 'Oct', 'Nov', 'Dec'];

const SCREENS = [
    { label: 'phone', connectFrom: 'dashboard',
      context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2,
                 isMobile: true, hasTouch: true } },
    { label: 'desktop', connectFrom: 'settings',
      context: { viewport: { width: 1280, height: 900 } } },
];

function need(name) {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set: run tests/e2e/run.sh, or ONLY=e2e bash scripts/test.sh`);
    return v.replace(/\/+$/, '');
}

let browser;

before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    await sandboxDefaults();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
                                      args: CHROMIUM_ARGS });
});

after(async () => {
    if (browser) await browser.close();
});

for (const screen of SCREENS) {
    test(`a runner's first day on a ${screen.label} screen`, { timeout: 180000 },
        async () => { await firstDay(screen); });
}

/* ---- the scenario -------------------------------------------------------- */

async function firstDay(screen) {
    const context = await browser.newContext(screen.context);
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const s = { label: screen.label, page, problems: [], started: Date.now() };
    watchPage(s);
    try {
        await scenario(s, screen);
    } finally {
        await context.close();
    }
    /* Things that did not stop the flow but are wrong all the same. */
    assert.deepEqual(s.problems, [], `[${s.label}] page problems`);
}

async function scenario(s, screen) {
    const { page } = s;
    const tag = `${s.label}-${Date.now().toString(36)}-${process.pid}`;
    const email = `e2e-${tag}@example.test`;

    await step(s, 'sign up', async () => {
        await page.goto(`${CADENCE_URL}/signup`);
        await page.fill('#name', `E2E ${s.label}`);
        await page.fill('#email', email);
        await page.fill('#password', 'correct horse battery');
        await shot(s, `signup-${s.label}`);
        await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/signup')),
                           page.click('button[type=submit]:has-text("Create account")')]);
    });

    // Sign-up does not sign in (it would tell a new email from a taken one).
    await step(s, 'sign in', async () => {
        await expectText(page, 'h1', 'Sign in');
        await expectText(page, '.flash', 'Now sign in');
        await page.fill('#email', email);
        await page.fill('#password', 'correct horse battery');
        await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')),
                           page.click('button[type=submit]:has-text("Sign in")')]);
        await expectText(page, 'h1', `Hello, E2E ${s.label}`);
    });

    const tz = await step(s, 'read the time zone in settings', async () => {
        await page.goto(`${CADENCE_URL}/settings`);
        return (await page.inputValue('#timezone')) || 'UTC';
    });

    const today = localNow(tz).date;
    const planId = await step(s, 'create a plan through /plans/new', async () => {
        await page.goto(`${CADENCE_URL}/`);
        await Promise.all([page.waitForURL('**/plans/new'),
                           page.click('a:has-text("Create a plan")')]);
        await page.fill('#race_name', `E2E Half ${s.label}`);
        await page.selectOption('#race_distance', { label: 'Half marathon' });
        await page.fill('#race_date', addDays(today, 84));
        /* Started last week, so there are workouts in the past and maybe
         * today that a run can be recorded for. */
        await page.fill('#start_date', addDays(today, -7));
        await page.selectOption('#runs_per_week', { label: '5 runs' });
        await page.selectOption('#long_run_day', { label: 'Sunday' });
        await page.fill('#weekly_distance', '35');
        await page.fill('#longest_run', '14');
        await page.selectOption('#recent_race_distance', { label: '10K' });
        await page.fill('#recent_race_time', '0:50:00');
        await shot(s, `plan-new-${s.label}`, true);
        await Promise.all([page.waitForURL(/\/plans\/[0-9a-f-]{36}$/),
                           page.click('button:has-text("Build my plan")')]);
        await expectText(page, '.flash', 'Your plan is ready');
        return page.url().split('/').pop();
    });

    await step(s, 'read the calendar', async () => {
        const weeks = page.locator('.cal-week');
        const n = await weeks.count();
        assert.ok(n >= 12 && n <= 14, `expected 12 to 14 week rows, found ${n}`);
        const phases = await page.locator('.cal-week .phase').allInnerTexts();
        for (const p of ['Base', 'Taper'])
            assert.ok(phases.some((t) => t.includes(p)), `no "${p}" phase label in ${JSON.stringify(phases)}`);
        const types = await page.locator('.cal-week .wk .wk-type').allInnerTexts();
        for (const t of ['Long', 'Easy'])
            assert.ok(types.some((x) => x.trim().startsWith(t)), `no "${t}" workout in the calendar`);
        assert.ok(types.some((x) => /Intervals|Tempo/.test(x)), 'no quality workout in the calendar');
        await expectText(page, '.cal-week.is-current', 'This week');
        await checkLayout(s, 'calendar');
        await shot(s, `calendar-${s.label}`, true);
    });

    await step(s, 'open a week (/plans/{id}/weeks/N)', async () => {
        await Promise.all([page.waitForURL(/\/weeks\/\d+$/),
                           page.click('.cal-week.is-current h3 a')]);
        assert.match(page.url(), new RegExp(`/plans/${planId}/weeks/\\d+$`));
        assert.equal(await page.locator('.week-day').count(), 7, 'a week has 7 days');
        const cards = page.locator('.workout-detail');
        assert.equal(await cards.count(), 5, 'five runs a week were asked for');
        const metas = await page.locator('.workout-detail .meta').allInnerTexts();
        assert.ok(metas.length === 5 && metas.every((m) => /\d:\d\d(\s*[-–]\s*\d:\d\d)?\s*\/\s*km/.test(m)),
            `every day card shows a pace per km: ${JSON.stringify(metas)}`);
        await checkLayout(s, 'week');
        await shot(s, `week-${s.label}`, true);
    });

    const athlete = await step(s, 'create a sandbox athlete', async () => {
        const r = await api('POST', `${SANDBOX_URL}/_sandbox/athletes`,
            { firstname: 'E2E', lastname: s.label });
        assert.equal(r.status, 201, `POST /_sandbox/athletes: ${r.status} ${r.text}`);
        return r.json;
    });

    /* A month of running before the plan, imported when Strava is
     * connected: the fitness chart's history, what a re-plan starts from. */
    await step(s, 'give the athlete a month of runs before the plan', async () => {
        for (let back = 35; back >= 8; back--) {
            if (back % 7 !== 1 && back % 7 !== 3 && back % 7 !== 5) continue;
            const km = back % 7 === 5 ? 14 : 9;
            const r = await api('POST', `${SANDBOX_URL}/_sandbox/activities`, {
                athlete_id: athlete.id, name: `History run ${back}`, sport_type: 'Run',
                date: addDays(today, -back), time: '07:00', timezone: 'UTC',
                distance: km * 1000, moving_time: km * RUN_PACE_S_PER_KM,
                average_heartrate: 145 });
            assert.ok(r.status < 300, `POST /_sandbox/activities: ${r.status} ${r.text}`);
        }
    });

    await step(s, `connect Strava from the ${screen.connectFrom}`, async () => {
        await page.goto(screen.connectFrom === 'settings' ? `${CADENCE_URL}/settings` : `${CADENCE_URL}/`);
        await Promise.all([page.waitForURL(`${SANDBOX_URL}/oauth/authorize**`),
                           page.click('a:has-text("Connect with Strava")')]);
        await page.selectOption('select[name=athlete_id]', String(athlete.id));
        await shot(s, `authorize-${s.label}`);
        await Promise.all([page.waitForURL(`${CADENCE_URL}/**`),
                           page.click('button:has-text("Authorize")')]);
        await expectText(page, '.flash', 'Strava connected');
        await expectText(page, '.strava-status', 'Connected');
        await shot(s, `connected-${s.label}`);
    });

    const target = await step(s, 'pick a planned workout to run', async () => {
        await page.goto(`${CADENCE_URL}/plans/${planId}`);
        return pickWorkout(page, tz);
    });

    await step(s, 'webhook subscription to Cadence', ensureSubscription);

    const runName = `E2E run ${tag}`;
    await step(s, `record a run in the sandbox (${target.date} ${target.time}, ${target.km} km)`, async () => {
        await page.goto(`${SANDBOX_URL}/`);
        const form = page.locator('form:has(legend:has-text("Record a run"))');
        await form.locator('select[name=athlete_id]').selectOption(String(athlete.id));
        await form.locator('input[name=date]').fill(target.date);
        await form.locator('input[name=time]').fill(target.time);
        await form.locator('input[name=timezone]').fill(target.zone);
        await form.locator('input[name=distance_km]').fill(String(target.km));
        await form.locator('input[name=duration]').fill(target.duration);
        await form.locator('input[name=name]').fill(runName);
        await Promise.all([page.waitForURL(`${SANDBOX_URL}/`),
                           form.locator('button:has-text("Record")').click()]);
        await expectText(page, 'body', runName);
    });

    await step(s, `see the workout done in Cadence (/workouts/${target.id})`, async () => {
        const url = `${CADENCE_URL}/workouts/${target.id}`;
        const deadline = Date.now() + DONE_TIMEOUT_MS;
        let state = '';
        await page.goto(url);
        for (;;) {
            state = (await page.locator('.page-head .state-tag').first().innerText()).trim();
            if (state === 'Done') break;
            if (Date.now() > deadline) {
                throw new Error(`the workout still says "${state}" after ${DONE_TIMEOUT_MS} ms; ` +
                    `sandbox deliveries for athlete ${athlete.id}: ${await deliveries(athlete.id)}`);
            }
            await page.waitForTimeout(500);
            await page.reload();
        }
        await expectText(page, 'body', runName);
        await shot(s, `done-workout-${s.label}`, true);
        await page.goto(`${CADENCE_URL}/plans/${planId}`);
        const cls = await page.locator(`a.wk[href="/workouts/${target.id}"]`).getAttribute('class');
        assert.match(cls, /\bs-done\b/, 'the calendar shows the workout as done');
        await page.locator(`a.wk[href="/workouts/${target.id}"]`).scrollIntoViewIfNeeded();
        await shot(s, `done-${s.label}`);
    });

    await step(s, 'read fitness, fatigue and form (/fitness)', async () => {
        const deadline = Date.now() + DONE_TIMEOUT_MS;
        await page.goto(`${CADENCE_URL}/fitness`);
        /* The job worker scores the imported runs a moment after the import. */
        while (await page.locator('.fitness-figures').count() === 0 ||
               await page.locator('h2:has-text("No training load yet")').count() > 0) {
            if (Date.now() > deadline) throw new Error('no training load: were the runs scored?');
            await page.waitForTimeout(500);
            await page.reload();
        }
        await expectText(page, 'h1', 'Fitness');
        const chart = page.locator('svg.fitness-chart[role="img"]');
        await chart.waitFor({ state: 'visible' });
        const title = await chart.locator('title').first().textContent();
        assert.match(title, /Fitness, fatigue and form up to E2E Half/, 'the chart names the race');
        assert.ok(await chart.locator('.race').count() === 1, 'race day is marked');
        await expectText(page, '.fitness-figures', 'Fitness');
        const fitness = +(await page.locator('.fitness-figures dd').first().innerText()).trim();
        assert.ok(fitness > 0, `fitness today is ${fitness} after a month of running`);
        await checkLayout(s, 'fitness');
        await shot(s, `fitness-${s.label}`, true);
    });

    await step(s, 'open the recorded run (/activities/{id}): route and splits', async () => {
        await page.goto(`${CADENCE_URL}/activities`);
        await Promise.all([page.waitForURL(/\/activities\/[0-9a-f-]{36}$/),
                           page.click(`.activity-name a:has-text("${runName}")`)]);
        await expectText(page, 'h1', runName);
        await page.locator('svg.route-map').waitFor({ state: 'visible' });
        await page.locator('svg.split-chart').waitFor({ state: 'visible' });
        await expectText(page, 'h2', 'Splits per km');
        assert.ok(await page.locator('.splits-table tbody tr').count() >= 1, 'split rows');
        await checkLayout(s, 'activity');
        await shot(s, `activity-${s.label}`, true);
    });

    await step(s, 'adjust the plan after days off, see both versions, accept', async () => {
        await page.goto(`${CADENCE_URL}/plans/${planId}`);
        await Promise.all([page.waitForURL(`**/plans/${planId}/adjust`),
                           page.click('a:has-text("Adjust my plan")')]);
        await page.fill('#days_off', '3');
        await page.click('button:has-text("Propose new weeks")');
        await page.waitForLoadState();
        if (!/\/adjustments\/[0-9a-f-]{36}$/.test(page.url())) {
            const why = await page.locator('[role=alert]').allInnerTexts().catch(() => []);
            throw new Error(`no proposal: ${JSON.stringify(why)}`);
        }
        await expectText(page, 'h2', 'Before and after');
        assert.ok(await page.locator('.compare-week').count() >= 4, 'the weeks left, side by side');
        assert.ok(await page.locator('.compare-side h4:has-text("Proposed")').count() >= 4);
        await checkLayout(s, 'proposal');
        await shot(s, `proposal-${s.label}`, true);
        await Promise.all([page.waitForURL(`**/plans/${planId}`),
                           page.click('button:has-text("Accept the new weeks")')]);
        await expectText(page, '.flash', 'Plan adjusted');
        await shot(s, `adjusted-${s.label}`);
    });
    console.log(`${s.label}: whole flow in ${Date.now() - s.started} ms`);
}

/* ---- steps, screenshots, checks ----------------------------------------- */

/* Runs one step; a failure names the step, the page URL and a screenshot. */
async function step(s, name, fn) {
    const t0 = Date.now();
    try {
        const v = await fn();
        console.log(`${s.label}: ok ${name} (${Date.now() - t0} ms)`);
        return v;
    } catch (e) {
        const file = path.join(OUT, `FAILED-${s.label}-${slug(name)}.png`);
        const url = s.page.url();
        let saved = true;
        await s.page.screenshot({ path: file, fullPage: true }).catch(() => { saved = false; });
        throw new Error(`[${s.label}] step "${name}" failed\n  page: ${url}\n` +
            `  screenshot: ${saved ? file : '(none)'}\n  ${e.message}`, { cause: e });
    }
}

async function shot(s, name, fullPage = false) {
    await s.page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage });
}

async function expectText(page, selector, text) {
    const loc = page.locator(selector).filter({ hasText: text }).first();
    try {
        await loc.waitFor({ state: 'visible', timeout: 5000 });
    } catch {
        const seen = await page.locator(selector).allInnerTexts().catch(() => []);
        throw new Error(`no ${selector} with "${text}"; found ${JSON.stringify(seen.map((t) => t.slice(0, 200)))}`);
    }
}

/* Errors in the page, failed requests and console errors are problems. */
function watchPage(s) {
    s.page.on('pageerror', (e) => s.problems.push(`script error on ${s.page.url()}: ${e.message}`));
    s.page.on('console', (m) => {
        /* Only Cadence's pages: the sandbox is a test fixture. */
        if (m.type() === 'error' && s.page.url().startsWith(CADENCE_URL))
            s.problems.push(`console error on ${s.page.url()}: ${m.text()}`);
    });
    s.page.on('response', (r) => {
        if (r.status() >= 400 && r.url().startsWith(CADENCE_URL))
            s.problems.push(`${r.status()} for ${r.url()}`);
    });
}

/*
 * Nothing may stick out sideways: no horizontal scrolling on any screen,
 * and no line of text (nowrap) wider than its own box, where it would run
 * under its neighbour or be cut off.
 */
async function checkLayout(s, what) {
    const m = await s.page.evaluate(() => {
        const name = (el) => `${el.tagName.toLowerCase()}.${String(el.className).replace(/ /g, '.')}`.slice(0, 60);
        const vw = document.documentElement.clientWidth;
        const wide = [], clipped = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.right > vw + 1 && wide.length < 5)
                wide.push(`${name(el)} right=${Math.round(r.right)}`);
            /* r.width > 1 leaves out visually hidden (screen reader) text;
             * SVG text is placed by its drawing's viewBox, not in a box. */
            if (r.width > 1 && !el.closest('svg') && el.scrollWidth > el.clientWidth + 1 && clipped.length < 5 &&
                getComputedStyle(el).whiteSpace === 'nowrap' && el.clientWidth > 0)
                clipped.push(`${name(el)} "${el.textContent.trim().replace(/\s+/g, ' ')}" needs ${el.scrollWidth}px, has ${el.clientWidth}px`);
        }
        return { vw, sw: document.documentElement.scrollWidth, wide, clipped };
    });
    const where = `${what} (${s.page.url()}, screenshot ${path.join(OUT, `${what}-${s.label}.png`)})`;
    if (m.sw > m.vw + 1)
        s.problems.push(`${where} is ${m.sw}px wide on a ${m.vw}px screen: ${m.wide.join('; ')}`);
    if (m.clipped.length > 0)
        s.problems.push(`${where}: text wider than its box: ${m.clipped.join('; ')}`);
}

/* ---- the run to record -------------------------------------------------- */

/*
 * Today's workout when there is one and there was time to run it since
 * midnight; else the latest past workout of the plan.
 */
async function pickWorkout(page, tz) {
    const zone = SANDBOX_ZONES.includes(tz) ? tz : 'UTC';
    const now = localNow(zone);
    const days = await page.locator('.cal-day:has(a.wk)').evaluateAll((els) => els.map((el) => {
        const a = el.querySelector('a.wk');
        return { dateText: el.querySelector('.cal-date').textContent,
                 today: el.classList.contains('is-today'),
                 href: a.getAttribute('href'),
                 dist: a.querySelector('.wk-dist').textContent };
    }));
    const byLabel = new Map(days.map((d) => [dateKey(d.dateText), d]));
    for (let back = 0; back <= 14; back++) {
        const date = addDays(now.date, -back);
        const d = byLabel.get(shortLabel(date));
        if (!d) continue;
        const km = parseKm(d.dist);
        const duration = Math.round(km * RUN_PACE_S_PER_KM);
        let time = '07:00';
        if (back === 0) {
            /* Today: finished ten minutes ago, if it could have started today. */
            const start = now.minutes - 10 - Math.ceil(duration / 60);
            if (start < 0) continue;
            time = hhmm(start);
        }
        assert.ok(back > 0 || d.today, `today's cell is not marked as today: ${d.dateText}`);
        return { id: d.href.split('/').pop(), date, time, zone, km, duration: hms(duration) };
    }
    throw new Error(`no workout today or in the last two weeks; days seen: ${days.map((d) => d.dateText.trim()).join(', ')}`);
}

function parseKm(text) {
    const m = /([\d.]+)\s*(km|mi)/.exec(text);
    if (!m) throw new Error(`cannot read a distance in "${text}"`);
    return +(m[2] === 'mi' ? m[1] * 1.609344 : +m[1]).toFixed(2);
}

/* "Mon Nov 17 Today" -> "Nov 17" */
function dateKey(text) {
    const m = /\b([A-Z][a-z]{2}) (\d{1,2})\b/.exec(text);
    return m ? `${m[1]} ${+m[2]}` : text.trim();
}

function shortLabel(iso) {
    const [, mo, d] = iso.split('-').map(Number);
    return `${MONTHS[mo - 1]} ${d}`;
}

/* ---- the sandbox's side ------------------------------------------------- */

/*
 * Strava only sends events to a subscribed callback.  run.sh subscribes
 * with `cadence strava subscribe` when the build has it; otherwise (or if
 * the subscription went away) the test subscribes Cadence's /strava/webhook
 * itself, with the same call the operator's command makes.
 */
async function ensureSubscription() {
    const q = `client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`;
    const callback = `${CADENCE_URL}/strava/webhook`;
    const list = await api('GET', `${SANDBOX_URL}/api/v3/push_subscriptions?${q}`);
    assert.equal(list.status, 200, `GET push_subscriptions: ${list.status} ${list.text}`);
    for (const sub of list.json) {
        if (sub.callback_url === callback) {
            console.log(`subscription ${sub.id} for ${callback} already there`);
            return;
        }
        await api('DELETE', `${SANDBOX_URL}/api/v3/push_subscriptions/${sub.id}?${q}`);
    }
    const r = await api('POST', `${SANDBOX_URL}/api/v3/push_subscriptions`, {
        client_id: CLIENT_ID, client_secret: CLIENT_SECRET,
        callback_url: callback, verify_token: VERIFY_TOKEN });
    assert.equal(r.status, 201, `POST push_subscriptions (callback ${callback}): ${r.status} ${r.text}`);
    console.log(`subscription ${r.json.id} for ${callback} made by the test (POST /api/v3/push_subscriptions)`);
}

/*
 * Tests that ran before in the same environment may have left fault
 * switches or low limits on; put back the documented defaults, keeping the
 * data (unlike /_sandbox/reset, this is safe against a `make run` sandbox).
 */
async function sandboxDefaults() {
    const r = await api('POST', `${SANDBOX_URL}/_sandbox/config`, {
        access_token_ttl: 21600, code_ttl: 600, rotate_refresh_tokens: true,
        rate_limit_15min: 200, rate_limit_daily: 2000,
        read_rate_limit_15min: 100, read_rate_limit_daily: 1000,
        fail_next_5xx: 0, fail_next_429: 0, delay_ms: 0,
        activity_404_after_create: 0, webhook_timeout_ms: 2000,
        webhook_attempts: 3, webhook_retry_delay_ms: 1000,
        validation_timeout_ms: 2000 });
    assert.equal(r.status, 200, `POST ${SANDBOX_URL}/_sandbox/config: ${r.status} ${r.text}`);
    const u = await api('POST', `${SANDBOX_URL}/_sandbox/reset-usage`, {});
    assert.ok(u.status < 300, `POST /_sandbox/reset-usage: ${u.status} ${u.text}`);
}

/* The sandbox's last webhook deliveries about an athlete, for a failure message. */
async function deliveries(athleteId) {
    try {
        const r = await api('GET', `${SANDBOX_URL}/_sandbox/deliveries`);
        const mine = (r.json.deliveries || []).filter((d) => d.event?.owner_id === athleteId);
        const last = mine.slice(-3).map((d) =>
            `#${d.seq} try ${d.attempt} ${d.event?.aspect_type ?? ''} ${d.event?.object_type ?? ''} -> ${d.status} ${d.error ?? ''}`);
        return `pending ${r.json.pending}; last: ${last.join(' | ') || 'none (was the webhook subscription made? is the run for a connected athlete?)'}`;
    } catch (e) {
        return `(could not read: ${e.message})`;
    }
}

async function api(method, url, body) {
    const res = await fetch(url, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, text, json };
}

/* ---- dates and times ---------------------------------------------------- */

/* The wall-clock date (YYYY-MM-DD) and minutes since midnight in zone. */
function localNow(zone) {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
        timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
        hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(new Date()).map((p) => [p.type, p.value]));
    return { date: `${parts.year}-${parts.month}-${parts.day}`,
             minutes: +parts.hour * 60 + +parts.minute };
}

function addDays(iso, n) {
    const d = new Date(`${iso}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
}

function hhmm(min) {
    return `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
}

function hms(sec) {
    const h = Math.floor(sec / 3600), m = Math.floor(sec / 60) % 60, x = sec % 60;
    return `${h}:${String(m).padStart(2, '0')}:${String(x).padStart(2, '0')}`;
}

function slug(s) {
    return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}
