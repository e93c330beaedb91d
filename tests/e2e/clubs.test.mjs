/*
 * Browser end-to-end test of clubs (issue 18): a new coach's first day,
 * with three people in three browsers, on a phone-sized screen and on a
 * desktop one.
 *
 *   the coach signs up and starts a club -> makes two invitation links
 *   -> each runner opens their link, signs up from it, signs in, lands
 *   back on it and joins -> both build a plan; one marks last week's
 *   runs done, the other does nothing -> the coach's roster shows both,
 *   the one who needs attention first -> the coach opens that athlete's
 *   calendar and a workout and comments -> the runner sees the comment
 *   on the dashboard and the workout, and answers -> the coach reads it.
 *
 * Needs CADENCE_URL (tests/e2e/run.sh starts an environment).  Screenshots
 * go to E2E_OUT (default build/e2e), FAILED-*.png for a failed step.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CADENCE_URL = (process.env.CADENCE_URL || '').replace(/\/+$/, '');
const OUT = path.resolve(process.env.E2E_OUT || path.join(HERE, '../../build/e2e'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 15000;
const PASSWORD = 'correct horse battery';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'];

const SCREENS = [
    { label: 'phone', context: { viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2, isMobile: true, hasTouch: true } },
    { label: 'desktop', context: { viewport: { width: 1280, height: 900 } } },
];

if (!CADENCE_URL)
    throw new Error('CADENCE_URL is not set: run tests/e2e/run.sh, or ONLY=e2e bash scripts/test.sh');

let browser;

before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
                                      args: CHROMIUM_ARGS });
});

after(async () => {
    if (browser) await browser.close();
});

for (const screen of SCREENS) {
    test(`a new coach's first day on a ${screen.label} screen`, { timeout: 240000 },
        async () => { await coachDay(screen); });
}

/* ---- the scenario -------------------------------------------------------- */

async function person(screen, who) {
    const context = await browser.newContext(screen.context);
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const p = { label: `${screen.label}/${who}`, context, page, problems: [] };
    watchPage(p);
    return p;
}

async function coachDay(screen) {
    const tag = `${screen.label}-${Date.now().toString(36)}-${process.pid}`;
    const coach = await person(screen, 'coach');
    const ana = await person(screen, 'ana');
    const ben = await person(screen, 'ben');
    const people = [coach, ana, ben];
    try {
        await scenario(screen, tag, coach, ana, ben);
    } finally {
        for (const p of people) await p.context.close();
    }
    assert.deepEqual(people.flatMap((p) => p.problems), [], `[${screen.label}] page problems`);
}

async function scenario(screen, tag, coach, ana, ben) {
    const club = `E2E Harbour Runners ${tag}`;
    const email = (who) => `e2e-${who}-${tag}@example.test`;

    await step(coach, 'the coach signs up, signs in and starts a club', async () => {
        await signUp(coach.page, `${CADENCE_URL}/signup`, 'Coach Carla', email('coach'));
        await signIn(coach.page, email('coach'));
        await expectText(coach.page, 'h1', 'Hello, Coach Carla');
        await Promise.all([coach.page.waitForURL('**/clubs/new'),
                           coach.page.click('.site-nav a:has-text("Club")')]);
        await expectText(coach.page, 'p', 'nobody but you sees your training');
        await coach.page.fill('#name', club);
        await Promise.all([coach.page.waitForURL(/\/c\/[a-z0-9-]+\/$/),
                           coach.page.click('button:has-text("Start the club")')]);
        await expectText(coach.page, '.flash', 'Your club is ready');
        await expectText(coach.page, '.club-strip', club);
        await checkLayout(coach, 'club-new');
        await shot(coach, `club-empty-${screen.label}`);
    });
    const clubUrl = coach.page.url();

    const links = await step(coach, 'the coach makes two invitation links', async () => {
        const out = [];
        for (const who of ['Ana', 'Ben']) {
            await coach.page.goto(`${clubUrl}invitations`);
            await coach.page.selectOption('#role', 'athlete');
            await coach.page.fill('#label', who);
            await coach.page.click('button:has-text("Make an invitation link")');
            await expectText(coach.page, '.new-link h2', `for ${who}`);
            const link = await coach.page.inputValue('#invite-link');
            assert.match(link, /\/c\/[a-z0-9-]+\/join\?t=[0-9a-f]{64}$/);
            out.push(link);
        }
        await expectText(coach.page, '.member-list', 'Waiting');
        await checkLayout(coach, 'invitations');
        await shot(coach, `invitations-${screen.label}`, true);
        return out;
    });

    for (const [p, name, link] of [[ana, 'Ana', links[0]], [ben, 'Ben', links[1]]]) {
        await step(p, `${name} signs up from the link and joins`, async () => {
            await p.page.goto(link);
            await expectText(p.page, 'h1', `Join ${club}`);
            await expectText(p.page, '.people', 'Coach Carla');
            await checkLayout(p, 'join');
            await shot(p, `join-${name}-${screen.label}`, true);
            await signUp(p.page, null, name, email(name.toLowerCase()));
            await signIn(p.page, email(name.toLowerCase()));
            /* Sign-in leads back to the link. */
            await p.page.waitForURL((u) => u.pathname.endsWith('/join'));
            await Promise.all([p.page.waitForURL(/\/c\/[a-z0-9-]+\/$/),
                               p.page.click(`button:has-text("Join ${club}")`)]);
            await expectText(p.page, '.flash', 'Welcome to the club');
            await expectText(p.page, 'h2', 'Who can see your training');
            await expectText(p.page, '.people', 'Coach Carla');
            await checkLayout(p, 'club-home');
        });
    }

    const today = await ana.page.evaluate(() => new Date().toISOString().slice(0, 10));
    for (const [p, name] of [[ana, 'Ana'], [ben, 'Ben']]) {
        await step(p, `${name} builds a plan that began last week`, async () => {
            await p.page.goto(`${CADENCE_URL}/plans/new`);
            await p.page.fill('#race_name', `${name}'s 10K`);
            await p.page.selectOption('#race_distance', { label: '10K' });
            await p.page.fill('#race_date', addDays(today, 63));
            await p.page.fill('#start_date', addDays(today, -8));
            await p.page.fill('#weekly_distance', '30');
            await p.page.fill('#longest_run', '10');
            await Promise.all([p.page.waitForURL(/\/plans\/[0-9a-f-]{36}(#[a-z0-9-]+)?$/),
                               p.page.click('button:has-text("Build my plan")')]);
        });
    }

    await step(ana, 'Ana marks her past runs done', async () => {
        const hrefs = await ana.page.locator('a.wk.s-missed').evaluateAll(
            (els) => els.map((a) => a.getAttribute('href')));
        assert.ok(hrefs.length > 0, 'no past workout to mark');
        for (const h of hrefs) {
            await ana.page.goto(`${CADENCE_URL}${h}`);
            await ana.page.click('button:has-text("Mark done")');
            await expectText(ana.page, '.flash', 'Workout saved');
        }
    });

    await step(coach, 'the roster: both athletes, who needs attention first', async () => {
        await coach.page.goto(clubUrl);
        const names = await coach.page.locator('.roster-item h2').allInnerTexts();
        assert.deepEqual(names.map((n) => n.trim()), ['Ben', 'Ana'],
            'Ben (missed workouts) before Ana (all done)');
        const ben1 = coach.page.locator('.roster-item').first();
        assert.match(await ben1.getAttribute('class'), /needs-attention/);
        await expectText(coach.page, '.roster-item.needs-attention .reasons', 'Missed');
        const anaRow = coach.page.locator('.roster-item').nth(1);
        assert.match(await anaRow.innerText(), /0 key, 0 other/);
        await checkLayout(coach, 'roster');
        await shot(coach, `roster-${screen.label}`, true);
    });

    const comment = `Nice work this week, Ana (${tag}).`;
    await step(coach, "the coach comments on one of Ana's workouts", async () => {
        await coach.page.click('.roster-item h2 a:has-text("Ana")');
        await expectText(coach.page, 'h1', 'Ana');
        await Promise.all([coach.page.waitForURL(/\/plans\/[0-9a-f-]{36}(#[a-z0-9-]+)?$/),
                           coach.page.click('a:has-text("Open calendar")')]);
        await expectText(coach.page, '.viewing', 'Ana');
        assert.equal(await coach.page.locator('a:has-text("Calendar feed")').count(), 0,
            "Ana's calendar feed is hers");
        await checkLayout(coach, 'athlete-calendar');
        await Promise.all([coach.page.waitForURL(/\/workouts\/[0-9a-f-]{36}$/),
                           coach.page.locator('a.wk.s-done').first().click()]);
        await expectText(coach.page, 'h2', 'Adjust this workout');
        assert.equal(await coach.page.locator('#note').count(), 0, "Ana's note is hers");
        await coach.page.fill('#comment-body', comment);
        await coach.page.click('button:has-text("Post comment")');
        await expectText(coach.page, '.flash', 'Comment posted');
        await expectText(coach.page, '.comments', comment);
        await checkLayout(coach, 'athlete-workout');
        await shot(coach, `coach-comment-${screen.label}`, true);
    });

    await step(ana, 'Ana sees the comment and answers', async () => {
        await ana.page.goto(`${CADENCE_URL}/`);
        await expectText(ana.page, 'section', 'From your coach');
        await expectText(ana.page, '.comments', comment);
        await shot(ana, `dashboard-comment-${screen.label}`, true);
        await ana.page.click('.comments a:has-text("a workout")');
        await expectText(ana.page, '#talk', comment);
        await ana.page.fill('#comment-body', 'Thanks! Legs felt fresh.');
        await ana.page.click('button:has-text("Post comment")');
        await expectText(ana.page, '.comments', 'Thanks! Legs felt fresh.');
        await checkLayout(ana, 'workout-talk');
    });

    await step(coach, "the coach reads Ana's answer", async () => {
        await coach.page.reload();
        await expectText(coach.page, '.comments', 'Thanks! Legs felt fresh.');
    });
}

/* ---- forms ------------------------------------------------------------- */

/* The sign-up form, on /signup (url) or on the page already open. */
async function signUp(page, url, name, email) {
    if (url) await page.goto(url);
    await page.fill('#name', name);
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname === '/login'),
                       page.click('button[type=submit]:has-text("Create account")')]);
}

async function signIn(page, email) {
    await expectText(page, '.flash', 'Now sign in');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname !== '/login'),
                       page.click('button[type=submit]:has-text("Sign in")')]);
}

/* ---- steps, screenshots, checks ----------------------------------------- */

async function step(p, name, fn) {
    const t0 = Date.now();
    try {
        const v = await fn();
        console.log(`${p.label}: ok ${name} (${Date.now() - t0} ms)`);
        return v;
    } catch (e) {
        const file = path.join(OUT, `FAILED-clubs-${p.label.replace('/', '-')}-${slug(name)}.png`);
        let saved = true;
        await p.page.screenshot({ path: file, fullPage: true }).catch(() => { saved = false; });
        throw new Error(`[${p.label}] step "${name}" failed\n  page: ${p.page.url()}\n` +
            `  screenshot: ${saved ? file : '(none)'}\n  ${e.message}`, { cause: e });
    }
}

async function shot(p, name, fullPage = false) {
    await p.page.screenshot({ path: path.join(OUT, `clubs-${name}.png`), fullPage });
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

function watchPage(p) {
    p.page.on('pageerror', (e) => p.problems.push(`script error on ${p.page.url()}: ${e.message}`));
    p.page.on('console', (m) => {
        if (m.type() === 'error')
            p.problems.push(`console error on ${p.page.url()}: ${m.text()}`);
    });
    p.page.on('response', (r) => {
        if (r.status() >= 400 && r.url().startsWith(CADENCE_URL))
            p.problems.push(`${r.status()} for ${r.url()}`);
    });
}

/* Nothing sticks out sideways, and no nowrap text is wider than its box. */
async function checkLayout(p, what) {
    const m = await p.page.evaluate(() => {
        const name = (el) => `${el.tagName.toLowerCase()}.${String(el.className).replace(/ /g, '.')}`.slice(0, 60);
        const vw = document.documentElement.clientWidth;
        const wide = [], clipped = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.right > vw + 1 && wide.length < 5)
                wide.push(`${name(el)} right=${Math.round(r.right)}`);
            if (r.width > 1 && el.scrollWidth > el.clientWidth + 1 && clipped.length < 5 &&
                getComputedStyle(el).whiteSpace === 'nowrap' && el.clientWidth > 0)
                clipped.push(`${name(el)} needs ${el.scrollWidth}px, has ${el.clientWidth}px`);
        }
        return { vw, sw: document.documentElement.scrollWidth, wide, clipped };
    });
    if (m.sw > m.vw + 1)
        p.problems.push(`${what} (${p.page.url()}) is ${m.sw}px wide on a ${m.vw}px screen: ${m.wide.join('; ')}`);
    if (m.clipped.length > 0)
        p.problems.push(`${what} (${p.page.url()}): text wider than its box: ${m.clipped.join('; ')}`);
}

function addDays(iso, n) {
    const d = new Date(`${iso}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
}

function slug(s) {
    return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}
