/*
 * Browser end-to-end tests: a runner's first days with Cadence, in
 * Debian's chromium driven by playwright-core, once on a phone (390x844,
 * in miles, Paris) and once on a desktop (1440x900, in km, New York).
 *
 *   sign up (time zone from the browser) -> the plan form's errors and
 *   limits -> build a plan -> the calendar opens at this week -> a week ->
 *   connect Strava (the sandbox's consent page, another origin) -> three
 *   runs in the sandbox: one that completes a workout, one short one on a
 *   workout's day (partial), one on a rest day (unplanned) -> what the
 *   workout, week, calendar, dashboard and activities pages say of them ->
 *   effort (RPE) -> move a workout on the calendar -> exports -> disconnect
 *   Strava (what is deleted, what stays done) -> the signed-out pages.
 *
 * Every page is checked by axe-core (no violation of any rule it runs by
 * default, best practices such as region and heading-order included),
 * for sideways overflow, and for the runner's unit: a mile runner's pages
 * and exports never say "km" or "/km", a km runner's never "mi" (issue
 * 15, item 2).  Each of issue 15's items is asserted in a step named
 * after it ("15.N").
 *
 * Needs CADENCE_URL and SANDBOX_URL (tests/e2e/run.sh or scripts/test.sh
 * start an environment and set them).  Screenshots go to E2E_OUT
 * (default build/e2e), with figures.json (scroll positions, page sizes).
 * A failing step names itself, the page URL and a screenshot.
 *
 * Run with node's own runner: node --test --test-reporter=tap e2e.test.mjs
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const CADENCE_URL = need('CADENCE_URL');
const SANDBOX_URL = need('SANDBOX_URL');
const GARMIN_SANDBOX_URL = need('GARMIN_SANDBOX_URL');
const CLIENT_ID = process.env.STRAVA_CLIENT_ID || '1000';
const CLIENT_SECRET = process.env.STRAVA_CLIENT_SECRET || 'sandbox-secret';
const VERIFY_TOKEN = process.env.STRAVA_WEBHOOK_VERIFY_TOKEN || 'test-verify-token';
const OUT = path.resolve(process.env.E2E_OUT || path.join(HERE, '../../build/e2e'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/* How long a recorded run may take to show in Cadence (webhook + job). */
const DONE_TIMEOUT_MS = Number(process.env.E2E_DONE_TIMEOUT_MS || 15000);
const STEP_TIMEOUT_MS = 15000;

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'];
const RUN_PACE_S_PER_KM = 360;	/* the recorded runs: 6:00/km */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug',
    'Sep', 'Oct', 'Nov', 'Dec'];
const MILE_M = 1609.344;

const SCREENS = [
    { label: 'phone', connectFrom: 'dashboard', zone: 'Europe/Paris', unit: 'mi',
      context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2,
                 isMobile: true, hasTouch: true, timezoneId: 'Europe/Paris' } },
    { label: 'desktop', connectFrom: 'settings', zone: 'America/New_York', unit: 'km',
      context: { viewport: { width: 1440, height: 900 },
                 timezoneId: 'America/New_York' } },
];

/* What the runner's unit forbids anywhere on a page or in an export. */
const WRONG_UNIT = {
    mi: /\d\s?km\b|\/km\b/,
    km: /\d\s?mi\b|\/mi\b/,
};

function need(name) {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set: run tests/e2e/run.sh, or ONLY=e2e bash scripts/test.sh`);
    return v.replace(/\/+$/, '');
}

let browser;
const figures = {};

before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    await sandboxDefaults();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
                                      args: CHROMIUM_ARGS });
});

after(async () => {
    if (browser) await browser.close();
    fs.writeFileSync(path.join(OUT, 'figures.json'), JSON.stringify(figures, null, 2));
});

for (const screen of SCREENS) {
    test(`a runner's first days on a ${screen.label} screen`, { timeout: 300000 },
        async () => { await firstDays(screen); });
}

test('a runner\'s account by email: verify, reset the password, weekly summary, my data',
    { timeout: 180000 }, async () => { await mailDay(); });

/* ---- the scenario -------------------------------------------------------- */

async function firstDays(screen) {
    const context = await browser.newContext(screen.context);
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const s = { label: screen.label, unit: screen.unit, page, problems: [],
                expected4xx: new Set(), axe: {}, weights: {},
                started: Date.now() };
    figures[screen.label] = { axe: s.axe, page_bytes: s.weights };
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
    const km = (k) => (s.unit === 'mi' ? +(k / 1.609344).toFixed(1) : k);

    await step(s, '15.8 sign up: the time zone comes from the browser', async () => {
        await page.goto(`${CADENCE_URL}/signup`);
        await axeCanary(page);
        await visit(s, '/signup', 'signup');
        assert.equal(await page.inputValue('#timezone'), screen.zone,
            'static/timezone.js fills in the browser\'s zone');
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
        await check(s, 'login');
        await page.fill('#email', email);
        await page.fill('#password', 'correct horse battery');
        await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')),
                           page.click('button[type=submit]:has-text("Sign in")')]);
        await expectText(page, 'h1', `Hello, E2E ${s.label}`);
        await check(s, 'dashboard-empty');
    });

    await step(s, `15.8 settings: the zone chosen at sign-up; units ${s.unit}`, async () => {
        await visit(s, '/settings', 'settings', { unit: false });
        assert.equal(await page.inputValue('#timezone'), screen.zone);
        await page.selectOption('#units', s.unit);
        await Promise.all([page.waitForURL('**/settings'),
                           page.click('button:has-text("Save settings")')]);
        await expectText(page, '.flash', 'saved');
    });

    const today = localNow(screen.zone).date;
    await step(s, '15.10 plan form: limits in the unit, no error on an empty start date', async () => {
        await visit(s, '/plans/new', 'plan-new');
        const max = await page.getAttribute('#weekly_distance', 'max');
        assert.equal(max, s.unit === 'mi' ? '155.343' : '250', 'the server\'s 250 km');
        assert.match(await page.innerText('label[for=race_distance_custom]'),
            new RegExp(`Other distance\\s*\\(${s.unit}\\)`));
        await page.fill('#race_name', 'Too soon');
        await page.selectOption('#race_distance', { label: 'Marathon' });
        await page.fill('#race_date', addDays(today, 30));
        await page.fill('#start_date', '');
        await page.fill('#weeks', '');
        await page.fill('#weekly_distance', String(km(40)));
        await page.fill('#longest_run', String(km(16)));
        s.expected4xx.add('/plans/new');
        await Promise.all([page.waitForLoadState('load'),
                           page.click('button:has-text("Build my plan")')]);
        await expectText(page, '#weeks-error', 'needs at least');
        assert.equal(await page.locator('#start_date-error').count(), 0,
            'an error on the start date the runner left empty');
        await check(s, 'plan-new-errors');
        s.expected4xx.delete('/plans/new');
    });

    const planId = await step(s, 'create a plan through /plans/new', async () => {
        await visit(s, '/plans/new', null);
        await page.fill('#race_name', `E2E Half ${s.label}`);
        await page.selectOption('#race_distance', { label: 'Half marathon' });
        await page.fill('#race_date', addDays(today, 84));
        /* Started last week, so there are workouts in the past and maybe
         * today that a run can be recorded for. */
        await page.fill('#start_date', addDays(today, -7));
        await page.selectOption('#runs_per_week', { label: '5 runs' });
        await page.selectOption('#long_run_day', { label: 'Sunday' });
        await page.fill('#weekly_distance', String(km(35)));
        await page.fill('#longest_run', String(km(14)));
        await page.selectOption('#recent_race_distance', { label: '10K' });
        await page.fill('#recent_race_time', '0:50:00');
        await shot(s, `plan-new-${s.label}`, true);
        await Promise.all([page.waitForURL(/\/plans\/[0-9a-f-]{36}#this-week$/),
                           page.click('button:has-text("Build my plan")')]);
        await expectText(page, '.flash', 'Your plan is ready');
        return new URL(page.url()).pathname.split('/').pop();
    });

    await step(s, '15.3 the calendar opens at this week', async () => {
        await page.waitForFunction(() => window.scrollY > 0 || document.getElementById('this-week').getBoundingClientRect().top < 200);
        const where = await page.evaluate(() => ({
            top: document.getElementById('this-week').getBoundingClientRect().top,
            scrollY: window.scrollY,
            height: document.documentElement.scrollHeight }));
        figures[s.label].calendar_this_week = where;
        assert.ok(where.top >= 0 && where.top < 120,
            `this week's row is at ${where.top} px from the top (scrollY ${where.scrollY})`);
        await shot(s, `calendar-this-week-${s.label}`);
        await expectText(page, '.cal-week.is-current', 'This week');
        await expectText(page, '.cal-nav', 'This week');
        assert.equal(await page.locator('.cal-nav a:has-text("Previous week")').getAttribute('href'), '#week-1');
        assert.equal(await page.locator('.cal-nav a:has-text("Next week")').getAttribute('href'), '#week-3');
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
        await check(s, 'calendar', { noVisit: true });
        await shot(s, `calendar-${s.label}`, true);
    });

    await step(s, '15.11 the weekly chart is legible, with units and a states legend', async () => {
        const m = await page.evaluate(() => {
            const t = [...document.querySelectorAll('.chart-grid text')];
            return { labels: t.map((x) => x.textContent),
                     height: Math.min(...t.map((x) => x.getBoundingClientRect().height)) };
        });
        assert.ok(m.labels.slice(1).every((l) => l.endsWith(` ${s.unit}`)), `tick labels ${m.labels}`);
        assert.ok(m.height >= 12, `chart labels ${m.height.toFixed(1)} px tall`);
        figures[s.label].chart_label_px = +m.height.toFixed(1);
        for (const w of ['Done', 'Partly done', 'Missed'])
            await expectText(page, '.legend-states', w);
        await page.locator('.chart-card').scrollIntoViewIfNeeded();
        await shot(s, `chart-${s.label}`);
    });

    await step(s, '15.3 a week, with its neighbours', async () => {
        await Promise.all([page.waitForURL(/\/weeks\/\d+$/),
                           page.click('.cal-week.is-current h3 a')]);
        assert.match(page.url(), new RegExp(`/plans/${planId}/weeks/2$`));
        assert.equal(await page.locator('.week-day').count(), 7, 'a week has 7 days');
        assert.equal(await page.locator('.workout-detail').count(), 5, 'five runs a week were asked for');
        const metas = await page.locator('.workout-detail .meta').allInnerTexts();
        const pace = new RegExp(`\\d:\\d\\d(\\s*[-–]\\s*\\d:\\d\\d)?\\s*/\\s*${s.unit}`);
        assert.ok(metas.every((m) => pace.test(m)), `every day card shows a pace per ${s.unit}: ${JSON.stringify(metas)}`);
        assert.match(await page.getAttribute('a[rel=prev]', 'href'), /\/weeks\/1$/);
        assert.match(await page.getAttribute('a[rel=next]', 'href'), /\/weeks\/3$/);
        await check(s, 'week', { noVisit: true });
        await shot(s, `week-${s.label}`, true);
        await page.click('a[rel=next]');
        await expectText(page, '.pager', 'This week');
    });

    const athlete = await step(s, 'create a sandbox athlete', async () => {
        const r = await api('POST', `${SANDBOX_URL}/_sandbox/athletes`,
            { firstname: 'E2E', lastname: s.label });
        assert.equal(r.status, 201, `POST /_sandbox/athletes: ${r.status} ${r.text}`);
        return r.json;
    });

    /* A month of running before the plan, imported when Strava is
     * connected: the fitness chart's history, what a re-plan starts from. */
    const historyRuns = await step(s, 'give the athlete a month of runs before the plan', async () => {
        let n = 0;
        for (let back = 35; back >= 8; back--) {
            if (back % 7 !== 1 && back % 7 !== 3 && back % 7 !== 5) continue;
            const km = back % 7 === 5 ? 14 : 9;
            const r = await api('POST', `${SANDBOX_URL}/_sandbox/activities`, {
                athlete_id: athlete.id, name: `History run ${back}`, sport_type: 'Run',
                date: addDays(today, -back), time: '07:00', timezone: 'UTC',
                distance: km * 1000, moving_time: km * RUN_PACE_S_PER_KM,
                average_heartrate: 145 });
            assert.ok(r.status < 300, `POST /_sandbox/activities: ${r.status} ${r.text}`);
            n++;
        }
        return n;
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

    const runs = await step(s, 'choose the days to run', async () => {
        await page.goto(`${CADENCE_URL}/plans/${planId}`);
        return pickDays(page, screen.zone);
    });

    await step(s, 'webhook subscription to Cadence', ensureSubscription);

    const runName = `E2E run ${tag}`;
    await step(s, `record a run in the sandbox's form (${runs.done.date} ${runs.done.time}, ${runs.done.km} km)`, async () => {
        const t = runs.done;
        await page.goto(`${SANDBOX_URL}/`);
        const form = page.locator('form:has(legend:has-text("Record a run"))');
        await form.locator('select[name=athlete_id]').selectOption(String(athlete.id));
        await form.locator('input[name=date]').fill(t.date);
        await form.locator('input[name=time]').fill(t.time);
        await form.locator('input[name=timezone]').fill(screen.zone);
        await form.locator('input[name=distance_km]').fill(String(t.km));
        await form.locator('input[name=duration]').fill(hms(Math.round(t.km * RUN_PACE_S_PER_KM)));
        await form.locator('input[name=name]').fill(runName);
        await Promise.all([page.waitForURL(`${SANDBOX_URL}/`),
                           form.locator('button:has-text("Record")').click()]);
        await expectText(page, 'body', runName);
    });

    await step(s, 'record a short run on a workout\'s day and a run on a rest day (control API)', async () => {
        for (const [t, name, pct] of [[runs.partial, `E2E short ${tag}`, 0.6],
                                      [runs.rest, `E2E extra ${tag}`, 1]]) {
            const dist = Math.round((t.km || 5) * pct * 1000);
            const r = await api('POST', `${SANDBOX_URL}/_sandbox/activities`, {
                athlete_id: athlete.id, name, sport_type: 'Run', date: t.date,
                time: '07:00', timezone: screen.zone, distance: dist,
                moving_time: Math.round(dist / 1000 * RUN_PACE_S_PER_KM),
                average_heartrate: 142, total_elevation_gain: 35 });
            assert.equal(r.status, 201, `POST /_sandbox/activities: ${r.status} ${r.text}`);
        }
    });

    await step(s, 'record an interval session with its laps (control API)', async () => {
        /* Warm-up, 3 x 1 km at 4:30/km with 200 m jogs, cool-down. */
        const total = Math.round(runs.reps.km * 1000);
        const warm = Math.round(total * 0.2), cool = total - warm - 3400;
        assert.ok(cool > 0, `a ${total} m session is too short for 3 x 1 km`);
        const laps = [[warm, warm * 0.36], [1000, 270], [200, 84], [1000, 268],
                      [200, 84], [1000, 272], [cool, cool * 0.36]]
            .map(([m, t]) => `${m}:${Math.round(t)}`).join(',');
        const secs = laps.split(',').reduce((a, l) => a + +l.split(':')[1], 0);
        const r = await api('POST', `${SANDBOX_URL}/_sandbox/activities`, {
            athlete_id: athlete.id, name: `E2E reps ${tag}`, sport_type: 'Run',
            date: runs.reps.date, time: '18:00', timezone: screen.zone,
            distance: total, moving_time: secs, laps });
        assert.equal(r.status, 201, `POST /_sandbox/activities: ${r.status} ${r.text}`);
    });

    await step(s, `see the workout done in Cadence (/workouts/${runs.done.id})`, async () => {
        await waitState(s, runs.done.id, 'Done', athlete.id);
        await expectText(page, 'body', runName);
        await check(s, 'workout-done', { noVisit: true });
        await shot(s, `done-workout-${s.label}`, true);
        await page.goto(`${CADENCE_URL}/plans/${planId}`);
        const cls = await page.locator(`a.wk[href="/workouts/${runs.done.id}"]`).getAttribute('class');
        assert.match(cls, /\bs-done\b/, 'the calendar shows the workout as done');
        await page.locator(`a.wk[href="/workouts/${runs.done.id}"]`).scrollIntoViewIfNeeded();
        await shot(s, `done-${s.label}`);
    });

    await step(s, '15.5 the workout page: a verdict per target, the run\'s figures', async () => {
        await page.goto(`${CADENCE_URL}/workouts/${runs.done.id}`);
        await expectText(page, '#planned-title', 'Planned and run');
        const rows = await page.locator('table.targets tbody tr').allInnerTexts();
        const row = (name) => rows.find((r) => r.startsWith(name)) || '';
        assert.match(row('Distance'), /in range/, `distance row: ${row('Distance')}`);
        assert.match(row('Duration'), /\d/, `duration row: ${row('Duration')}`);
        assert.match(row('Pace'), new RegExp(`/${s.unit}`), `pace row: ${row('Pace')}`);
        assert.ok(/in range|faster than the range|slower than the range/.test(row('Pace')) ||
                  row('Pace').startsWith('Pace (whole run)'), `pace verdict: ${row('Pace')}`);
    });

    await step(s, '15.5 an interval session: the reps\' paces from Strava\'s laps', async () => {
        await waitState(s, runs.reps.id, 'Done', athlete.id);
        const row = await page.locator('table.targets tr:has(th:text("Reps (laps)"))').innerText();
        const paces = row.split('\t')[2] || '';
        assert.equal(paces.split(',').length, 3, `three reps: ${row}`);
        assert.match(paces, new RegExp(`/${s.unit}$`));
        assert.match(row, /in range/);
        await check(s, 'workout-reps');
        await shot(s, `reps-${s.label}`, true);
    });

    await step(s, '15.12 View on Strava goes to the sandbox\'s own page, in Strava orange', async () => {
        await page.goto(`${CADENCE_URL}/workouts/${runs.done.id}`);
        const link = page.locator('a.strava-link').first();
        assert.equal((await link.innerText()).trim(), 'View in the Strava sandbox');
        const href = await link.getAttribute('href');
        assert.ok(href.startsWith(`${SANDBOX_URL}/activities/`), `link ${href}`);
        assert.equal(await link.evaluate((a) => getComputedStyle(a).color), 'rgb(252, 76, 2)');
        const r = await page.context().request.get(href);
        assert.equal(r.status(), 200, `GET ${href}`);
        assert.ok((await r.text()).includes(runName), 'the sandbox page shows the run');
    });

    await step(s, '15.7 effort as RPE 1 (very easy) to 10 (maximal)', async () => {
        const labels = await page.locator('#rpe option').allInnerTexts();
        assert.equal(labels.length, 11);
        assert.equal(labels[1].trim(), '1 – very easy');
        assert.equal(labels[10].trim(), '10 – maximal');
        await page.selectOption('#rpe', '7');
        await Promise.all([page.waitForURL(`**/workouts/${runs.done.id}`),
                           page.click('button:has-text("Save note")')]);
        assert.equal(await page.inputValue('#rpe'), '7');
    });

    await step(s, '15.4 a short run on a workout\'s day is a partial run, not missed + unplanned', async () => {
        await waitState(s, runs.partial.id, 'Partly done', athlete.id);
        const pct = parseInt(await page.innerText('.page-head .badge.c-yellow'), 10);
        assert.ok(pct >= 55 && pct <= 65, `60 % of the plan run, the badge says ${pct}%`);
        await shot(s, `partial-workout-${s.label}`, true);
        await page.goto(`${CADENCE_URL}/plans/${planId}`);
        const cell = page.locator(`.cal-day[data-date="${runs.partial.date}"]`);
        assert.equal(await cell.locator('.wk-unplanned').count(), 0, 'the short run is not "unplanned"');
        assert.match(await cell.locator('.wk-state').first().innerText(), /Partly done \d+%/);
    });

    await step(s, '15.6 the week view lists the unplanned run it counts; 15.5 times', async () => {
        await page.goto(`${CADENCE_URL}/plans/${planId}/weeks/${runs.rest.week}`);
        await expectText(page, '.unplanned-run', `E2E extra ${tag}`);
        const listed = await page.evaluate((unit) => {
            const n = (t) => parseFloat(t.replace(/[^\d.]/g, '')) || 0;
            let sum = 0;
            document.querySelectorAll('.done-run dl, .unplanned-run dl').forEach((dl) => {
                sum += n(dl.querySelector('dd').textContent);
            });
            return { sum, total: n(document.querySelector('.week-total .big-figure').childNodes[0].textContent),
                     unit };
        }, s.unit);
        assert.ok(Math.abs(listed.sum - listed.total) <= 0.15,
            `the runs listed add up to ${listed.sum}, the week says ${listed.total}`);
        await expectText(page, '.week-total', 'of');
        assert.match(await page.innerText('.week-total'), /\d+ (h|min)/, 'time done and planned');
        await check(s, 'week-runs', { noVisit: true });
        await shot(s, `week-runs-${s.label}`, true);
    });

    await step(s, '15.9 move a workout on the calendar with the keyboard', async () => {
        await page.goto(`${CADENCE_URL}/plans/${planId}#week-3`);
        const mv = await movable(page, 3);
        await page.locator(`a.wk[href="/workouts/${mv.id}"] + .move-btn`).focus();
        await page.keyboard.press('Enter');
        await expectText(page, '#move-status', 'choose its new day');
        const target = page.locator(`.cal-day[data-date="${mv.to}"] .move-here`);
        await target.focus();
        await shot(s, `moving-${s.label}`);
        await Promise.all([page.waitForURL(new RegExp(`/plans/${planId}#week-\\d+$`)),
                           page.keyboard.press('Enter')]);
        await expectText(page, '.flash', 'Workout moved');
        assert.equal(await page.locator(`.cal-day[data-date="${mv.to}"] a.wk[href="/workouts/${mv.id}"]`).count(), 1);
        await page.goto(`${CADENCE_URL}/workouts/${mv.id}`);
        await expectText(page, '.page-head', `moved from ${dayLabel(mv.from)}`);
    });

    if (!screen.context.hasTouch) {
        await step(s, '15.9 move a workout by dragging it', async () => {
            await page.goto(`${CADENCE_URL}/plans/${planId}#week-4`);
            const mv = await movable(page, 4);
            await Promise.all([page.waitForURL(new RegExp(`/plans/${planId}#week-\\d+$`)),
                               page.dragAndDrop(`a.wk[href="/workouts/${mv.id}"]`,
                                   `.cal-day[data-date="${mv.to}"]`)]);
            await expectText(page, '.flash', 'Workout moved');
            assert.equal(await page.locator(`.cal-day[data-date="${mv.to}"] a.wk[href="/workouts/${mv.id}"]`).count(), 1);
        });
    }

    await step(s, '15.2 exports in the runner\'s unit (CSV, iCalendar)', async () => {
        await page.goto(`${CADENCE_URL}/plans/${planId}`);
        const csv = await page.context().request.get(`${CADENCE_URL}/plans/${planId}/export.csv`);
        assert.equal(csv.status(), 200);
        const text = await csv.text();
        assert.ok(text.startsWith(`Date,Week,Type,Planned (${s.unit})`), text.slice(0, 80));
        noWrongUnit(s, 'export.csv', text);
        const ics = await page.context().request.get(await page.getAttribute('a:has-text("Calendar feed")', 'href'));
        assert.equal(ics.status(), 200);
        const cal = (await ics.text()).replace(/\r\n[ \t]/g, '');
        assert.ok(cal.includes('BEGIN:VEVENT'));
        noWrongUnit(s, 'calendar.ics', cal);
    });

    for (const [p, name] of [['/', 'dashboard'], ['/activities', 'activities'],
                             ['/plans', 'plans'], ['/settings', 'settings-connected']]) {
        await step(s, `${name}: axe, layout, unit`, async () => {
            await visit(s, p, name);
            await shot(s, `${name}-${s.label}`, true);
        });
    }

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
        await expectText(page, 'h2', `Splits per ${s.unit}`);
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

    /* 17.4: a run from a watch's file, for runners without Strava or
     * Garmin: 5 km forty days ago, before the plan and its history. */
    await step(s, 'upload a run from a GPX file', async () => {
        await page.goto(`${CADENCE_URL}/activities`);
        await Promise.all([page.waitForURL('**/activities/upload'),
                           page.click('a:has-text("Upload runs from files")')]);
        await page.setInputFiles('#files', { name: 'old-watch-run.gpx',
            mimeType: 'application/gpx+xml', buffer: Buffer.from(gpxRun(addDays(today, -40), 5000)) });
        await page.click('button:has-text("Upload")');
        await page.waitForLoadState();
        await page.locator('[data-verdict="stored"]').waitFor({ state: 'visible' });
        await expectText(page, '[data-verdict="stored"]', 'old-watch-run.gpx');
        await check(s, 'upload');
        await Promise.all([page.waitForURL(/\/activities\/[0-9a-f-]{36}$/),
                           page.click('a:has-text("See the run")')]);
        await expectText(page, 'main', 'old-watch-run.gpx');
        await shot(s, `upload-${s.label}`);
    });

    /* 17.2: Garmin Connect through the sandbox's consent page; the plan's
     * next days go to the watch's calendar, and a run recorded on Garmin
     * (45 days ago: before the plan) arrives by notification. */
    await step(s, 'connect Garmin, the plan goes to the watch, a run comes back', async () => {
        const u = await api('POST', `${GARMIN_SANDBOX_URL}/_sandbox/users`,
            { name: `E2E ${s.label} ${Date.now()}` });
        assert.equal(u.status, 201, `POST /_sandbox/users: ${u.status} ${u.text}`);
        await page.goto(`${CADENCE_URL}/settings`);
        await Promise.all([page.waitForURL(/\/oauth2Confirm/),
                           page.click('a:has-text("Connect Garmin")')]);
        await page.selectOption('select[name="user_id"]', u.json.id);
        await Promise.all([page.waitForURL('**/settings**'),
                           page.click('button:has-text("Agree")')]);
        await expectText(page, '#garmin-title + *', 'Connected since');
        let sent = false;
        for (let i = 0; i < 40 && !sent; i++) {
            await page.waitForTimeout(500);
            await page.reload();
            sent = /last sent to your Garmin calendar/.test(await page.innerText('main'));
        }
        assert.ok(sent, 'the next 14 days were sent to Garmin');
        await check(s, 'settings-garmin');
        const start = Math.floor(Date.parse(`${addDays(today, -45)}T08:00:00Z`) / 1000);
        const a = await api('POST', `${GARMIN_SANDBOX_URL}/_sandbox/activities`, {
            user_id: u.json.id, name: 'Garmin morning run', type: 'RUNNING',
            start, duration: 6 * RUN_PACE_S_PER_KM, distance_m: 6000 });
        assert.equal(a.status, 201, `POST /_sandbox/activities: ${a.status} ${a.text}`);
        let seen = false;
        for (let i = 0; i < 40 && !seen; i++) {
            await page.goto(`${CADENCE_URL}/activities`);
            seen = /Garmin morning run/.test(await page.innerText('main'));
            if (!seen) await page.waitForTimeout(500);
        }
        assert.ok(seen, 'the Garmin run is listed');
        await shot(s, `garmin-${s.label}`);
    });

    /* 17.3: the watch's file of that same run is one run with it; the
     * runner switches the run to the file's record. */
    await step(s, 'a run from Garmin and from a file is one run, and the runner picks the record', async () => {
        await page.goto(`${CADENCE_URL}/activities/upload`);
        await page.setInputFiles('#files', { name: 'garmin-export.gpx', mimeType: 'application/gpx+xml',
            buffer: Buffer.from(gpxRun(addDays(today, -45), 6000, '08:00')) });
        await page.click('button:has-text("Upload")');
        await page.waitForLoadState();
        await expectText(page, '[data-verdict="same_run"]', 'already here from Garmin');
        await Promise.all([page.waitForURL(/\/activities\/[0-9a-f-]{36}$/),
                           page.click('a:has-text("See the run")')]);
        await expectText(page, '#sources-title + ul li', 'garmin-export.gpx');
        const url = page.url();
        await Promise.all([page.waitForURL(url),
                           page.click('button:has-text("Use Uploaded file instead")')]);
        await expectText(page, '.flash', 'now uses the source you chose');
        await expectText(page, '#sources-title + ul li:first-child', 'garmin-export.gpx');
        await expectText(page, '#sources-title + ul li', 'Use Garmin instead');
        await check(s, 'activity-sources');
        await shot(s, `sources-${s.label}`);
        /* And back: the run is Garmin's again, with Garmin's name. */
        await Promise.all([page.waitForURL(url),
                           page.click('button:has-text("Use Garmin instead")')]);
        await expectText(page, '.flash', 'now uses the source you chose');
        await expectText(page, 'h1', 'Garmin morning run');
    });

    await step(s, '15.1 disconnect: a confirmation says what goes and what stays', async () => {
        await page.goto(`${CADENCE_URL}/settings`);
        await expectText(page, '.card', 'stay done as your own record');
        await Promise.all([page.waitForURL('**/strava/disconnect'),
                           page.click('a:has-text("Disconnect Strava")')]);
        await check(s, 'disconnect', { noVisit: true });
        const text = await page.innerText('main');
        /* The four runs of the days above, and the month before the plan. */
        assert.match(text, new RegExp(`${4 + historyRuns} runs imported from Strava`));
        assert.match(text, /2 workouts done with a Strava run stay done/);
        assert.match(text, /1 workout run only partly/);
        await shot(s, `disconnect-${s.label}`, true);
        await Promise.all([page.waitForURL('**/settings'),
                           page.click('button:has-text("Disconnect and delete Strava data")')]);
        await expectText(page, '.flash', 'Strava disconnected');
        await page.goto(`${CADENCE_URL}/workouts/${runs.done.id}`);
        assert.equal((await page.locator('.page-head .state-tag').first().innerText()).trim(), 'Done',
            'a workout done with a Strava run stays done');
        await expectText(page, '.card', 'your own record');
        assert.equal(await page.locator('a.strava-link').count(), 0, 'nothing from Strava is left');
        await page.goto(`${CADENCE_URL}/workouts/${runs.partial.id}`);
        assert.equal((await page.locator('.page-head .state-tag').first().innerText()).trim(), 'Missed');
        /* Strava's runs went; the file's and Garmin's stay. */
        await page.goto(`${CADENCE_URL}/activities`);
        assert.equal(await page.locator('.activity-list > *').count(), 2, 'two runs left');
        assert.match(await page.innerText('.activity-list'), /Old watch run|old-watch-run/);
        assert.match(await page.innerText('.activity-list'), /Garmin morning run/);
        await shot(s, `after-disconnect-${s.label}`, true);
    });

    await step(s, 'signed out: home, sign in, sign up, a missing page', async () => {
        await page.goto(`${CADENCE_URL}/`);
        await Promise.all([page.waitForURL((u) => u.pathname === '/'),
                           page.click('button:has-text("Sign out")')]);
        assert.equal(await page.locator('button:has-text("Sign out")').count(), 0);
        /* The signed-out home page's sample week is in km for everyone. */
        await visit(s, '/', 'home', { unit: false });
        await visit(s, '/login', 'login-signed-out', { unit: false });
        s.expected4xx.add('/no-such-page');
        await visit(s, '/no-such-page', 'not-found', { status: 404, unit: false });
    });
    console.log(`${s.label}: whole flow in ${Date.now() - s.started} ms`);
}

/* ---- pages: axe, layout, unit, size ------------------------------------ */

/*
 * Opens a Cadence page (path) and checks it: check() below.  opts.status
 * is the status expected (200).
 */
async function visit(s, p, name, opts = {}) {
    const r = await s.page.goto(`${CADENCE_URL}${p}`);
    assert.equal(r.status(), opts.status || 200, `GET ${p}`);
    if (name)
        await check(s, name, { ...opts, response: r });
}

/*
 * The checks every page gets: axe-core finds no violation (any impact,
 * every rule axe runs by default: WCAG A/AA and best practices); nothing
 * sticks out sideways; no distance or pace in the other unit (opts.unit
 * false: the settings page before the unit is chosen); its weight.
 */
async function check(s, name, opts = {}) {
    const { page } = s;
    await checkLayout(s, name);
    const violations = await axe(page);
    s.axe[name] = violations.length;
    if (violations.length > 0)
        s.problems.push(`axe on ${name} (${page.url()}): ` + violations.map((v) =>
            `${v.id} [${v.impact}] ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`).join(' | '));
    if (opts.unit !== false)
        noWrongUnit(s, name, await page.evaluate(() => document.body.textContent));
    s.weights[name] = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const res = performance.getEntriesByType('resource');
        return { html: nav ? nav.transferSize || nav.encodedBodySize : 0,
                 total: (nav ? nav.transferSize || nav.encodedBodySize : 0) +
                     res.reduce((a, e) => a + (e.transferSize || e.encodedBodySize || 0), 0) };
    });
}

async function axe(page) {
    if (!(await page.evaluate(() => typeof window.axe === 'object')))
        await page.evaluate(AXE_SOURCE);
    const r = await page.evaluate(async () => {
        const res = await window.axe.run(document, { resultTypes: ['violations'] });
        return { violations: res.violations,
                 ran: [...res.passes, ...res.violations, ...res.incomplete,
                       ...res.inapplicable].map((x) => x.id) };
    });
    /* The rules the issue names must have run, not been left out. */
    for (const id of ['region', 'heading-order', 'color-contrast', 'landmark-one-main'])
        assert.ok(r.ran.includes(id), `axe did not run ${id}`);
    return r.violations;
}

/*
 * axe itself can fail: on a page with a known fault (an image with no
 * text, a heading that skips a level) it must report both, or a clean
 * run of the real pages would mean nothing.
 */
async function axeCanary(page) {
    await page.evaluate(() => {
        const d = document.createElement('div');
        d.id = 'axe-canary';
        d.innerHTML = '<img src="/static/favicon.svg" width="20" height="20"><h5>Skipped</h5>';
        document.querySelector('main').appendChild(d);
    });
    const ids = (await axe(page)).map((v) => v.id);
    await page.evaluate(() => document.getElementById('axe-canary').remove());
    assert.ok(ids.includes('image-alt') && ids.includes('heading-order'),
        `axe missed the planted faults: ${ids}`);
}

function noWrongUnit(s, name, text) {
    const m = WRONG_UNIT[s.unit].exec(text);
    if (m)
        s.problems.push(`${name} says "${text.slice(Math.max(0, m.index - 40), m.index + 30).replace(/\s+/g, ' ')}" to a ${s.unit} runner`);
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
        if (m.type() === 'error' && s.page.url().startsWith(CADENCE_URL) &&
            !s.expected4xx.has(new URL(s.page.url()).pathname))
            s.problems.push(`console error on ${s.page.url()}: ${m.text()}`);
    });
    s.page.on('response', (r) => {
        if (r.status() >= 400 && r.url().startsWith(CADENCE_URL) &&
            !s.expected4xx.has(new URL(r.url()).pathname))
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
    const where = `${what} (${s.page.url()})`;
    if (m.sw > m.vw + 1)
        s.problems.push(`${where} is ${m.sw}px wide on a ${m.vw}px screen: ${m.wide.join('; ')}`);
    if (m.clipped.length > 0)
        s.problems.push(`${where}: text wider than its box: ${m.clipped.join('; ')}`);
}

/* Reloads the workout page until its state is want. */
async function waitState(s, id, want, athleteId) {
    const { page } = s;
    const deadline = Date.now() + DONE_TIMEOUT_MS;
    let state = '';

    await page.goto(`${CADENCE_URL}/workouts/${id}`);
    for (;;) {
        state = (await page.locator('.page-head .state-tag').first().innerText()).trim();
        if (state === want) return;
        if (Date.now() > deadline) {
            throw new Error(`workout ${id} still says "${state}", not "${want}", after ${DONE_TIMEOUT_MS} ms; ` +
                `sandbox deliveries for athlete ${athleteId}: ${await deliveries(athleteId)}`);
        }
        await page.waitForTimeout(400);
        await page.reload();
    }
}

/* ---- the days to run ---------------------------------------------------- */

/*
 * From the calendar: the workout to complete (today's when there was time
 * to run it since midnight, else the latest past one), an earlier past
 * workout to run short, and a past rest day of the plan for an extra run.
 */
async function pickDays(page, zone) {
    const now = localNow(zone);
    const days = await page.locator('.cal-day[data-date]').evaluateAll((els) => els.map((el) => {
        const a = el.querySelector('a.wk');
        const week = el.closest('.cal-week').id.replace('week-', '');
        return { date: el.getAttribute('data-date'), week: +week,
                 today: el.classList.contains('is-today'),
                 id: a ? a.getAttribute('href').split('/').pop() : null,
                 type: a ? a.querySelector('.wk-type').textContent.trim() : null,
                 dist: a ? a.querySelector('.wk-dist').textContent : null };
    }));
    const past = days.filter((d) => d.date < now.date || d.date === now.date);
    const withRun = past.filter((d) => d.id).reverse();
    let done = null;
    for (const d of withRun) {
        const km = parseKm(d.dist);
        if (d.date === now.date) {
            /* Today: finished ten minutes ago, if it could have started today. */
            const start = now.minutes - 10 - Math.ceil(km * RUN_PACE_S_PER_KM / 60);
            if (start < 0) continue;
            assert.ok(d.today, `today's cell is not marked as today: ${d.date}`);
            done = { ...d, km, time: hhmm(start) };
        } else {
            done = { ...d, km, time: '07:00' };
        }
        break;
    }
    assert.ok(done, `no workout to run; days: ${JSON.stringify(days.slice(0, 14))}`);
    const quick = (d) => /Intervals|Tempo/.test(d.type);
    const partial = withRun.find((d) => d.date < done.date && !quick(d)) ||
        withRun.find((d) => d.date < done.date);
    assert.ok(partial, 'no earlier workout to run short');
    const reps = withRun.find((d) => d.date < now.date && quick(d) &&
        d.id !== done.id && d.id !== partial.id);
    assert.ok(reps, `no past interval or tempo workout: ${JSON.stringify(withRun)}`);
    const rest = past.filter((d) => !d.id && d.date < now.date).pop();
    assert.ok(rest, 'no past rest day');
    return { done, partial: { ...partial, km: parseKm(partial.dist) }, rest,
             reps: { ...reps, km: parseKm(reps.dist) } };
}

/* An upcoming workout of week n and a free day of that week after it. */
async function movable(page, n) {
    const days = await page.locator(`#week-${n} .cal-day[data-date]`).evaluateAll((els) => els.map((el) => {
        const a = el.querySelector('a.wk.s-upcoming');
        return { date: el.getAttribute('data-date'), id: a ? a.getAttribute('href').split('/').pop() : null,
                 busy: !!el.querySelector('a.wk') };
    }));
    for (const d of days) {
        if (!d.id) continue;
        const free = days.find((x) => x.date !== d.date && !x.busy);
        if (free) return { id: d.id, from: d.date, to: free.date };
    }
    throw new Error(`no upcoming workout and free day in week ${n}: ${JSON.stringify(days)}`);
}

function parseKm(text) {
    const m = /([\d.]+)\s*(km|mi)/.exec(text);
    if (!m) throw new Error(`cannot read a distance in "${text}"`);
    return +(m[2] === 'mi' ? m[1] * MILE_M / 1000 : +m[1]).toFixed(2);
}

/* "2026-11-27" -> "Fri, Nov 27" as the pages say it. */
function dayLabel(iso) {
    const d = new Date(`${iso}T12:00:00Z`);
    const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
    return `${wd}, ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
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

/* A GPX track of metres run from 07:00 UTC (or at) on day, a point every 10 s at
 * 5:30/km along a meridian (111,195 m a degree). */
function gpxRun(day, metres, at = '07:00') {
    const pts = [];
    const t0 = Date.parse(`${day}T${at}:00Z`);
    for (let d = 0, t = 0; d <= metres; d += 10 / 0.33, t += 10)
        pts.push(`<trkpt lat="${(45 + d / 111195).toFixed(6)}" lon="7.000000">` +
                 `<time>${new Date(t0 + t * 1000).toISOString()}</time></trkpt>`);
    return '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="e2e"' +
        ' xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Old watch run</name>' +
        `<type>running</type><trkseg>${pts.join('')}</trkseg></trk></gpx>\n`;
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

/*
 * Mail, as a new runner meets it (issue 19): every link comes from the
 * message the test SMTP server stored ($MAILDIR), read back by
 * tests/integration/mail_read.py.
 */
async function mailDay() {
    const ROOT = path.resolve(HERE, '../..');
    const MAILDIR = process.env.MAILDIR;
    assert.ok(MAILDIR, 'MAILDIR is not set: run through tests/e2e/run.sh');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const s = { label: 'mail', page, problems: [], started: Date.now() };
    watchPage(s);
    const email = `e2e-mail-${Date.now().toString(36)}-${process.pid}@example.test`;
    const name = 'Zoë Mail';
    const inbox = () => JSON.parse(execFileSync('/usr/bin/python3',
        [path.join(ROOT, 'tests/integration/mail_read.py'), MAILDIR, '--to', email]).toString());
    const mailNamed = async (subject) => {
        const deadline = Date.now() + 15000;
        for (;;) {
            const m = inbox().filter((x) => x.subject.startsWith(subject)).pop();
            if (m) return m;
            if (Date.now() > deadline)
                throw new Error(`no mail "${subject}" to ${email}; got ${JSON.stringify(inbox().map((x) => x.subject))}`);
            await page.waitForTimeout(200);
        }
    };
    const text = (m) => m.parts.find((p) => p.type === 'text/plain').content;
    const html = (m) => m.parts.find((p) => p.type === 'text/html').content;
    const linkIn = (m, p) => {
        const re = new RegExp(`${CADENCE_URL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${p}\\S*`);
        const hit = re.exec(text(m));
        assert.ok(hit, `no ${p} link in:\n${text(m)}`);
        return hit[0];
    };
    const showMail = async (m, file) => {   /* what the runner sees */
        const view = await context.newPage();
        await view.setContent(html(m));
        await view.screenshot({ path: path.join(OUT, `${file}.png`), fullPage: true });
        await view.close();
    };
    try {
        await step(s, 'sign up', async () => {
            await page.goto(`${CADENCE_URL}/signup`);
            await page.fill('#name', name);
            await page.fill('#email', email);
            await page.fill('#password', 'correct horse battery');
            await Promise.all([page.waitForURL('**/login'),
                               page.click('button[type=submit]:has-text("Create account")')]);
        });
        await step(s, 'click the verification link from the mail', async () => {
            const m = await mailNamed('Verify your email for Cadence');
            assert.equal(m.to_name, name);
            await showMail(m, 'mail-verify');
            await page.goto(linkIn(m, '/email/verify'));
            await Promise.all([page.waitForLoadState('load'),
                               page.click('button:has-text("Verify")')]);
            await expectText(page, 'h1', 'Your email is verified');
            await shot(s, 'mail-verified');
        });
        const other = await browser.newContext();
        const oldPage = await other.newPage();
        await step(s, 'sign in in another browser (the old session)', async () => {
            await oldPage.goto(`${CADENCE_URL}/login`);
            await oldPage.fill('#email', email);
            await oldPage.fill('#password', 'correct horse battery');
            await Promise.all([oldPage.waitForURL((u) => !u.pathname.startsWith('/login')),
                               oldPage.click('button[type=submit]:has-text("Sign in")')]);
            await oldPage.goto(`${CADENCE_URL}/settings`);
            await expectText(oldPage, 'h1', 'Settings');
        });
        await step(s, 'forget the password and ask for a link', async () => {
            await page.goto(`${CADENCE_URL}/login`);
            await Promise.all([page.waitForURL('**/password/forgot'),
                               page.click('a:has-text("Forgot your password?")')]);
            await page.fill('#email', email);
            await Promise.all([page.waitForLoadState('load'),
                               page.click('button:has-text("Email me a link")')]);
            await expectText(page, 'h1', 'Check your email');
        });
        await step(s, 'reset it from the mailed link', async () => {
            const m = await mailNamed('Set a new Cadence password');
            await showMail(m, 'mail-reset');
            await page.goto(linkIn(m, '/password/reset'));
            await page.fill('#new_password', 'a new horse battery');
            await shot(s, 'mail-reset-form');
            await Promise.all([page.waitForURL(`${CADENCE_URL}/`),
                               page.click('button:has-text("Set new password")')]);
            await expectText(page, '.flash', 'Your new password is set');
            await mailNamed('Your Cadence password was changed');
        });
        await step(s, 'see the old session end', async () => {
            await oldPage.goto(`${CADENCE_URL}/settings`);
            assert.match(oldPage.url(), /\/login/, `the old session still works: ${oldPage.url()}`);
            await other.close();
        });
        await step(s, 'turn the weekly summary on and receive it', async () => {
            await page.goto(`${CADENCE_URL}/settings`);
            await page.check('#notify-weekly_summary');
            await Promise.all([page.waitForURL('**/settings**'),
                               page.click('button:has-text("Save notifications")')]);
            await expectText(page, '.flash', 'notifications saved');
            assert.ok(await page.isChecked('#notify-weekly_summary'));
            await page.locator('#notifications').screenshot({ path: path.join(OUT, 'mail-notifications.png') });
            const bin = process.env.CADENCE_BIN || path.join(ROOT, 'build/cadence');
            execFileSync(bin, ['mail', 'weekly', '--now', '--to', email], { stdio: 'ignore' });
            const m = await mailNamed('Your week with Cadence');
            assert.match(m.raw['List-Unsubscribe'], /^<.*\/unsubscribe\?/);
            assert.equal(m.raw['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
            await showMail(m, 'mail-weekly');
        });
        await step(s, 'download the data archive', async () => {
            await page.goto(`${CADENCE_URL}/settings`);
            await Promise.all([page.waitForURL('**/settings**'),
                               page.click('button:has-text("Download my data")')]);
            const deadline = Date.now() + 15000;
            while (await page.locator('a:has-text("Download your archive")').count() === 0) {
                if (Date.now() > deadline) throw new Error('the archive was not ready in 15 s');
                await page.waitForTimeout(300);
                await page.reload();
            }
            await page.locator('#your-data').screenshot({ path: path.join(OUT, 'mail-your-data.png') });
            const [dl] = await Promise.all([page.waitForEvent('download'),
                                            page.click('a:has-text("Download your archive")')]);
            const file = path.join(OUT, 'cadence-data.tar.gz');
            await dl.saveAs(file);
            const list = execFileSync('tar', ['tzf', file]).toString();
            for (const f of ['profile.json', 'plans.csv', 'workouts.json', 'activities.csv'])
                assert.ok(list.includes(`cadence-data/${f}`), `no ${f} in the archive: ${list}`);
            await mailNamed('Your Cadence data is ready');
        });
    } finally {
        await context.close();
    }
    assert.deepEqual(s.problems, [], '[mail] page problems');
    console.log(`mail: whole flow in ${Date.now() - s.started} ms`);
}
