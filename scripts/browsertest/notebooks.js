#!/usr/bin/env node
// Browser test of the notebooks as a user runs them: JupyterLab with the
// GoNB kernel in headless Chromium, driven by playwright-core.
//
// It starts JupyterLab from .venv on loopback (a free port, a random token,
// its own settings and workspace folders, autosave off so the notebooks on
// disk are never rewritten), then, for each notebook:
//   - opens it, waits for the GoNB kernel, runs every cell with JupyterLab's
//     "Run All" command and waits for the kernel to go idle;
//   - fails on an error output, a stderr output with a Go panic or build
//     error, a code cell that did not run (no execution count), and a Plotly
//     figure that did not draw every visible trace (traces in gd._fullData
//     against the SVG/image groups Plotly drew for them);
//   - if the notebook has range inputs (GoNB widgets), moves the first one
//     and fails unless some figure changed;
//   - saves a screenshot of the whole notebook to OUT/<name>.png.
// At the end it checks that no notebook file changed, and stops JupyterLab
// (also on failure or Ctrl-C).
//
// Needs scripts/setup_notebooks.sh (JupyterLab in .venv, GoNB, Chromium,
// playwright-core in third_party/playwright).
//
// Usage: node scripts/browsertest/notebooks.js [--out DIR] [--timeout MIN] [--strict-width] [notebook.ipynb...]
// Default: every notebooks/*.ipynb, out/browser, 20 minutes per notebook.
// --strict-width fails on a figure wider than its output area (otherwise a note).
// Environment: INNLIB_VENV (JupyterLab's venv, default .venv), INNLIB_CHROMIUM
// (default /usr/bin/chromium, else chromium on PATH).
'use strict';

const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const VIEWPORT = { width: 1400, height: 900 }; // the window the figures must fit
const MAX_SHOT_HEIGHT = 30000; // px; taller notebooks are cut at the bottom
// stderr text that means a cell failed even though the kernel went on.
const BAD_STDERR = [/panic:/, /goroutine \d+ \[/, /exit status \d+/, /failed to run/, /ERROR:/, /\.go:\d+:\d+: /];

function parseArgs(argv) {
  const o = { out: path.join(ROOT, 'out', 'browser'), timeoutMin: 20, strictWidth: false, notebooks: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') o.out = path.resolve(argv[++i]);
    else if (a === '--timeout') o.timeoutMin = Number(argv[++i]);
    else if (a === '--strict-width') o.strictWidth = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node scripts/browsertest/notebooks.js [--out DIR] [--timeout MIN] [--strict-width] [notebook.ipynb...]');
      process.exit(0);
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else o.notebooks.push(path.resolve(a));
  }
  if (!(o.timeoutMin > 0)) throw new Error('--timeout needs a positive number of minutes');
  if (o.notebooks.length === 0) {
    const dir = path.join(ROOT, 'notebooks');
    o.notebooks = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f));
  }
  if (o.notebooks.length === 0) throw new Error('no notebooks found');
  for (const nb of o.notebooks) {
    if (!fs.existsSync(nb)) throw new Error(`${nb}: no such notebook`);
    if (path.relative(ROOT, nb).startsWith('..')) throw new Error(`${nb} is outside the repository`);
  }
  return o;
}

function findChromium() {
  const env = process.env.INNLIB_CHROMIUM;
  if (env) return env;
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      const p = path.join(dir, name);
      if (fs.existsSync(p)) return p;
    }
  }
  throw new Error('no Chromium found: install it (scripts/setup_notebooks.sh) or set INNLIB_CHROMIUM');
}

function loadPlaywright() {
  const p = path.join(ROOT, 'third_party', 'playwright', 'node_modules', 'playwright-core');
  if (!fs.existsSync(p)) throw new Error(`${p} missing: run scripts/setup_notebooks.sh`);
  return require(p);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const hashFile = (f) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
const elapsed = (t0) => `${Math.round((Date.now() - t0) / 1000)} s`;

// startLab starts JupyterLab in its own process group (so that stopping it
// also stops the kernels it started) with throw-away settings: autosave off,
// no news or update checks, every cell in the DOM (no windowing).
async function startLab(outDir) {
  const venv = process.env.INNLIB_VENV ? path.resolve(process.env.INNLIB_VENV) : path.join(ROOT, '.venv');
  const jupyter = path.join(venv, 'bin', 'jupyter');
  if (!fs.existsSync(jupyter)) throw new Error(`${jupyter} missing: run scripts/setup_notebooks.sh`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'innlib-lab-'));
  const settings = path.join(tmp, 'settings');
  const write = (rel, obj) => {
    const f = path.join(settings, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, JSON.stringify(obj));
  };
  write('@jupyterlab/docmanager-extension/plugin.jupyterlab-settings', { autosave: false });
  write('@jupyterlab/notebook-extension/tracker.jupyterlab-settings', { windowingMode: 'none' });
  write('@jupyterlab/apputils-extension/notification.jupyterlab-settings', { fetchNews: 'false', checkForUpdates: false });
  const configDir = path.join(tmp, 'config');
  fs.mkdirSync(path.join(configDir, 'labconfig'), { recursive: true });
  fs.writeFileSync(path.join(configDir, 'labconfig', 'page_config.json'),
    JSON.stringify({ disabledExtensions: { '@jupyterlab/apputils-extension:announcements': true } }));

  const port = await freePort();
  const token = crypto.randomBytes(24).toString('hex');
  const gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim();
  const env = {
    ...process.env,
    PATH: [path.join(venv, 'bin'), path.join(gopath, 'bin'), process.env.PATH].join(path.delimiter),
    JUPYTERLAB_SETTINGS_DIR: settings,
    JUPYTERLAB_WORKSPACES_DIR: path.join(tmp, 'workspaces'),
    JUPYTER_CONFIG_DIR: configDir,
    JUPYTER_RUNTIME_DIR: path.join(tmp, 'runtime'),
  };
  const log = fs.openSync(path.join(outDir, 'jupyterlab.log'), 'w');
  const proc = spawn(jupyter, ['lab', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0',
    `--ServerApp.root_dir=${ROOT}`, `--IdentityProvider.token=${token}`,
    '--LabApp.expose_app_in_browser=True', '--ServerApp.open_browser=False',
    ...(process.getuid && process.getuid() === 0 ? ['--allow-root'] : [])],
  { cwd: ROOT, env, detached: true, stdio: ['ignore', log, log] });
  let exited = null;
  proc.on('exit', (code, sig) => { exited = `exit ${code ?? sig}`; });
  const lab = {
    url: `http://127.0.0.1:${port}`, token, proc,
    // stop asks JupyterLab to quit (on SIGTERM it shuts its kernels down,
    // which run in sessions of their own) and kills it after 15 s.
    async stop() {
      if (exited === null) {
        try { process.kill(-proc.pid, 'SIGTERM'); } catch (e) { /* gone */ }
        for (let i = 0; i < 150 && exited === null; i++) await sleep(100);
        if (exited === null) { try { process.kill(-proc.pid, 'SIGKILL'); } catch (e) { /* gone */ } }
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
    // stopNow is for process exit, where nothing can be awaited.
    stopNow() {
      if (exited === null) { try { process.kill(-proc.pid, 'SIGTERM'); } catch (e) { /* gone */ } }
    },
  };
  const deadline = Date.now() + 180e3;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`JupyterLab stopped (${exited}); see ${path.join(outDir, 'jupyterlab.log')}`);
    try {
      const r = await fetch(`${lab.url}/api/status`, { headers: { Authorization: `token ${token}` } });
      if (r.ok) return lab;
    } catch (e) { /* not up yet */ }
    await sleep(500);
  }
  await lab.stop();
  throw new Error('JupyterLab did not answer within 180 s');
}

// The functions below run inside the page (page.evaluate).

// pageNotebookState returns the open notebook's kernel and cell states.
function pageNotebookState(rel) {
  const app = window.jupyterapp;
  if (!app || !app.shell) return { ready: false, why: 'JupyterLab not loaded' };
  const w = app.shell.currentWidget;
  if (!w || !w.context || w.context.path !== rel || !w.content) return { ready: false, why: 'notebook not open' };
  const sc = w.sessionContext;
  const kernel = sc.session && sc.session.kernel;
  const cells = w.content.widgets.map((c) => ({
    type: c.model.type,
    count: c.model.type === 'code' ? c.model.executionCount : null,
    state: c.model.type === 'code' ? c.model.executionState : null,
    empty: c.model.sharedModel.getSource().trim() === '',
  }));
  return {
    ready: !!kernel, why: kernel ? '' : 'no kernel', kernel: kernel ? kernel.name : '',
    status: kernel ? kernel.status : '', connection: kernel ? kernel.connectionStatus : '',
    dialog: !!document.querySelector('.jp-Dialog'), cells,
  };
}

// pageRunAll starts JupyterLab's Run All; its promise settles when the last
// cell finished or a cell failed (then the later cells stay unrun).
function pageRunAll() {
  window.__innlibRunAll = { done: false, error: '' };
  window.jupyterapp.commands.execute('notebook:run-all-cells').then(
    () => { window.__innlibRunAll.done = true; },
    (e) => { window.__innlibRunAll.done = true; window.__innlibRunAll.error = String(e); });
}

// pageOutputs returns every code cell's outputs as nbformat JSON.
function pageOutputs() {
  const w = window.jupyterapp.shell.currentWidget;
  return w.content.widgets.map((c, i) => ({
    index: i, type: c.model.type, count: c.model.type === 'code' ? c.model.executionCount : null,
    source: c.model.sharedModel.getSource(),
    outputs: c.model.type === 'code' ? c.model.outputs.toJSON() : [],
  }));
}

// pageFigures describes every Plotly figure in the notebook: the output
// elements that should hold one (Plotly's .js-plotly-plot and innlib's
// .innlib-plot loader divs), how many visible traces Plotly has, which of
// them it drew, and the figure's size against the output area's.
function pageFigures() {
  const els = new Set([...document.querySelectorAll('.jp-Notebook .js-plotly-plot, .jp-Notebook .innlib-plot')]);
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  return [...els].map((gd) => {
    const cell = cells.findIndex((c) => c.contains(gd));
    const area = gd.closest('.jp-OutputArea-output');
    const r = gd.getBoundingClientRect();
    const f = {
      cell, id: gd.id, plotted: gd.classList.contains('js-plotly-plot') && Array.isArray(gd._fullData),
      text: gd.classList.contains('js-plotly-plot') ? '' : gd.textContent.slice(0, 200),
      // The figure's own width (the div stretches to the output area; the SVG
      // inside is as wide as the layout says and is clipped past it).
      width: Math.round(gd._fullLayout && gd._fullLayout.width ? gd._fullLayout.width : r.width),
      areaWidth: area ? Math.round(area.clientWidth) : 0,
      traces: 0, drawn: 0, missing: [],
    };
    if (!f.plotted) return f;
    const want = gd._fullData.filter((t) => t.visible === true).map((t) => t.index);
    // Plotly binds each trace's calcdata to the group it draws it in: g.trace
    // (scatter, bar, box, pie...), g.hm (heatmap), g.contour (contour).
    const drawn = new Set();
    for (const g of gd.querySelectorAll('g.trace, g.hm, g.contour')) {
      const d = g.__data__;
      const cd = Array.isArray(d) ? d[0] : d;
      const t = cd && cd.trace;
      const hasMarks = g.querySelector('path, image, rect, text') !== null || g.tagName === 'image';
      if (t && typeof t.index === 'number' && hasMarks) drawn.add(t.index);
    }
    f.traces = want.length;
    f.drawn = want.filter((i) => drawn.has(i)).length;
    f.missing = want.filter((i) => !drawn.has(i)).map((i) => `${i}:${gd._fullData[i].type}:${gd._fullData[i].name || ''}`);
    return f;
  });
}

// pageFigureFingerprint is what changes when a widget redraws a figure.
function pageFigureFingerprint() {
  return [...document.querySelectorAll('.jp-Notebook .js-plotly-plot')].map((gd) => {
    let data = '';
    try { data = JSON.stringify(gd.data); } catch (e) { data = String(e); }
    const svg = [...gd.querySelectorAll('path')].map((p) => p.getAttribute('d') || '').join('|');
    return data.length + ':' + hashString(data + svg);
    function hashString(s) {
      let h = 0;
      for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
      return h;
    }
  }).join(',');
}

// pageMoveFirstSlider moves the first range input to another value, as a
// user dragging it would, and returns the old and new values.
function pageMoveFirstSlider() {
  const s = document.querySelector('.jp-Notebook input[type=range]');
  if (!s) return null;
  const min = Number(s.min || 0), max = Number(s.max || 100), old = Number(s.value);
  let v = old < (min + max) / 2 ? max : min;
  if (s.step && s.step !== 'any') v = min + Math.round((v - min) / Number(s.step)) * Number(s.step);
  s.value = String(v);
  s.dispatchEvent(new Event('input', { bubbles: true }));
  s.dispatchEvent(new Event('change', { bubbles: true }));
  return { old, now: s.value };
}

function problemsInOutputs(cells) {
  const problems = [];
  for (const c of cells) {
    if (c.type !== 'code') continue;
    if (c.source.trim() !== '' && (c.count === null || c.count === undefined)) {
      problems.push(`cell ${c.index}: did not run (no execution count)`);
    }
    for (const o of c.outputs) {
      const text = (Array.isArray(o.text) ? o.text.join('') : (o.text || '')).replace(/\x1b\[[0-9;]*m/g, '');
      if (o.output_type === 'error') {
        problems.push(`cell ${c.index}: error output: ${o.ename}: ${String(o.evalue).slice(0, 400)}`);
      } else if (o.output_type === 'stream' && o.name === 'stderr' && BAD_STDERR.some((re) => re.test(text))) {
        problems.push(`cell ${c.index}: stderr: ${text.trim().replace(/\s*\n\s*/g, ' | ').slice(0, 400)}`);
      }
    }
  }
  return problems;
}

async function waitFor(page, what, fn, arg, timeoutMs, pollMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await page.evaluate(fn, arg);
    if (last && last.ok) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${last && last.why ? ': ' + last.why : ''}`);
    await sleep(pollMs);
  }
}

// checkSlider moves the first range input and waits up to 120 s for some
// Plotly figure to change; it returns a problem, or '' when one changed.
async function checkSlider(page) {
  const before = await page.evaluate(pageFigureFingerprint);
  const moved = await page.evaluate(pageMoveFirstSlider);
  if (!moved) return 'the slider disappeared before it could be moved';
  const deadline = Date.now() + 120e3;
  while (Date.now() < deadline) {
    await sleep(1000);
    if ((await page.evaluate(pageFigureFingerprint)) !== before) {
      console.log(`   slider ${moved.old} -> ${moved.now} redrew a figure`);
      return '';
    }
  }
  return `moving the first slider (${moved.old} -> ${moved.now}) changed no figure within 120 s`;
}

async function testNotebook(browser, lab, nbPath, opts) {
  const rel = path.relative(ROOT, nbPath).split(path.sep).join('/');
  const name = path.basename(nbPath, '.ipynb');
  const t0 = Date.now();
  const timeoutMs = opts.timeoutMin * 60e3;
  const problems = [];
  fs.rmSync(path.join(opts.out, `${name}.failed.png`), { force: true });
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  try {
    // The URL a user gets when opening the notebook from the file browser;
    // ?reset starts from an empty layout, so no other notebook is restored.
    const url = `${lab.url}/lab/tree/${rel.split('/').map(encodeURIComponent).join('/')}?reset&token=${lab.token}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120e3 });
    await page.evaluate(`window.__innlibState = ${pageNotebookState.toString()}`);
    let s = await waitFor(page, `${rel} to open with its kernel`, (r) => {
      const st = window.__innlibState(r);
      // GoNB publishes no status until it first runs a cell, so JupyterLab
      // shows "unknown" for a connected, idle GoNB kernel.
      st.ok = st.ready && st.connection === 'connected' && (st.status === 'idle' || st.status === 'unknown');
      if (st.ready && !st.ok) st.why = `kernel ${st.kernel} is ${st.status}, ${st.connection}`;
      if (st.dialog) st.why += ' (a dialog is open: ' + document.querySelector('.jp-Dialog').innerText.slice(0, 200) + ')';
      return st;
    }, rel, 180e3);
    if (s.kernel !== 'gonb') throw new Error(`${rel} opened with kernel ${s.kernel}, not gonb`);
    console.log(`   kernel ${s.kernel} idle after ${elapsed(t0)}; running ${s.cells.filter((c) => c.type === 'code').length} code cells`);

    await page.evaluate(pageRunAll);
    let lastCount = -1;
    let idleSince = 0;
    // GoNB widgets talk to the cell's program only while it runs, so the
    // slider is moved as soon as a running cell shows one (after 3 s, for the
    // program to start listening). Such a cell must end by itself.
    let sliderDone = false;
    let sliderSeen = 0;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      s = await page.evaluate((r) => {
        const st = window.__innlibState(r);
        st.run = window.__innlibRunAll;
        return st;
      }, rel);
      const ran = s.cells.filter((c) => c.type === 'code' && c.count !== null && c.count !== undefined).length;
      if (ran !== lastCount) {
        lastCount = ran;
        console.log(`   ${ran}/${s.cells.filter((c) => c.type === 'code').length} cells ran (${elapsed(t0)})`);
      }
      if (!sliderDone && (await page.evaluate(() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')]
        .some((c) => c.querySelector('input[type=range]') && /\[\*\]/.test((c.querySelector('.jp-InputPrompt') || {}).textContent || ''))))) {
        if (!sliderSeen) sliderSeen = Date.now();
        if (Date.now() - sliderSeen > 3000) {
          sliderDone = true;
          const r = await checkSlider(page);
          if (r) problems.push(r);
        }
      }
      const busy = (s.status !== 'idle' && s.status !== 'unknown') || s.cells.some((c) => c.state === 'running');
      if (s.run.done && !busy) {
        if (!idleSince) idleSince = Date.now();
        if (Date.now() - idleSince > 3000) break; // idle for 3 s after Run All settled
      } else {
        idleSince = 0;
      }
      if (Date.now() > deadline) {
        problems.push(`timed out after ${opts.timeoutMin} min (kernel ${s.status}, ${ran} cells ran)` +
          (sliderDone ? '; a widget cell may be waiting for input forever: it must end by itself' : ''));
        break;
      }
      await sleep(2000);
    }
    if (s.run.error) problems.push(`Run All failed: ${s.run.error}`);

    const cells = await page.evaluate(pageOutputs);
    problems.push(...problemsInOutputs(cells));

    // Figures: wait until every figure drew, or 60 s.
    let figs = [];
    const figDeadline = Date.now() + 60e3;
    for (;;) {
      figs = await page.evaluate(pageFigures);
      if (figs.every((f) => f.plotted && f.drawn === f.traces) || Date.now() > figDeadline) break;
      await sleep(1000);
    }
    const expected = cells.reduce((n, c) => n + c.outputs.filter((o) => {
      const h = o.data && o.data['text/html'];
      const html = Array.isArray(h) ? h.join('') : (h || '');
      return /innlib-plot|Plotly\.newPlot|plotly/i.test(html) && /<script/i.test(html);
    }).length, 0);
    for (const f of figs) {
      if (!f.plotted) problems.push(`cell ${f.cell}: figure ${f.id} was not drawn${f.text ? ': ' + f.text : ''}`);
      else if (f.traces === 0) problems.push(`cell ${f.cell}: figure ${f.id} has no visible traces`);
      else if (f.drawn !== f.traces) problems.push(`cell ${f.cell}: figure ${f.id} drew ${f.drawn} of ${f.traces} traces (missing ${f.missing.join(', ')})`);
    }
    if (figs.length < expected) problems.push(`${expected} outputs carry a Plotly figure but only ${figs.length} figure elements are on the page`);
    const traces = figs.reduce((n, f) => n + f.drawn, 0);
    console.log(`   ${figs.length} figures, ${traces} traces drawn`);
    // Figures wider than the output area (968 px with JupyterLab's file
    // browser open in a 1400-px window) are cut; a note, or a failure with
    // --strict-width.
    const wide = figs.filter((f) => f.areaWidth && f.width > f.areaWidth + 1);
    if (wide.length) {
      const msg = `${wide.length} figures are wider than the output area (${wide.map((f) => `cell ${f.cell}: ${f.width} > ${f.areaWidth} px`).join('; ')})`;
      if (opts.strictWidth) problems.push(msg);
      else console.log(`   note: ${msg}`);
    }

    // Widgets: if no slider was moved while its cell ran, move the first one
    // now (widgets driven from the page alone still have to redraw).
    if (!sliderDone && (await page.evaluate(() => !!document.querySelector('.jp-Notebook input[type=range]')))) {
      const r = await checkSlider(page);
      if (r) problems.push(r);
    }

    // Screenshot of the whole notebook: make the window as tall as its content.
    const h = await page.evaluate(() => {
      const sc = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer') ||
        document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
      return sc ? sc.scrollHeight : 0;
    });
    const height = Math.min(Math.max(VIEWPORT.height, h + 200), MAX_SHOT_HEIGHT);
    await page.setViewportSize({ width: VIEWPORT.width, height });
    await sleep(1000);
    await page.evaluate(() => {
      for (const el of document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer, .jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook')) el.scrollTop = 0;
    });
    await sleep(1000);
    const shot = path.join(opts.out, `${name}.png`);
    await page.screenshot({ path: shot, fullPage: false });
    console.log(`   screenshot ${path.relative(ROOT, shot)} (${VIEWPORT.width}x${height})`);
    // And each figure on its own, at full size, as it shows in the notebook.
    const figDir = path.join(opts.out, name);
    fs.rmSync(figDir, { recursive: true, force: true });
    fs.mkdirSync(figDir, { recursive: true });
    const figEls = page.locator('.jp-Notebook .js-plotly-plot');
    const nFigs = await figEls.count();
    for (let k = 0; k < nFigs; k++) {
      await figEls.nth(k).screenshot({ path: path.join(figDir, `figure-${k + 1}.png`), timeout: 30e3 }).catch(() => {});
    }

    // Stop the kernel so the next notebook has both cores, and close the
    // notebook without saving it.
    await page.evaluate(async () => {
      const w = window.jupyterapp.shell.currentWidget;
      await w.sessionContext.shutdown();
      w.context.model.dirty = false;
      w.dispose();
    }).catch(() => {});
  } catch (e) {
    problems.push(String(e && e.message ? e.message : e));
    await page.screenshot({ path: path.join(opts.out, `${name}.failed.png`) }).catch(() => {});
  } finally {
    await context.close().catch(() => {});
  }
  if (problems.length && consoleErrors.length) {
    problems.push(`browser console errors: ${consoleErrors.slice(0, 5).join(' | ').slice(0, 800)}`);
  }
  return { rel, problems, seconds: Math.round((Date.now() - t0) / 1000) };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(opts.out, { recursive: true });
  const { chromium } = loadPlaywright();
  const executablePath = findChromium();
  const hashes = new Map(opts.notebooks.map((nb) => [nb, hashFile(nb)]));

  let lab = null;
  let browser = null;
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, async () => {
      if (browser) await browser.close().catch(() => {});
      if (lab) await lab.stop();
      lab = null;
      process.exit(130);
    });
  }
  process.on('exit', () => { if (lab) lab.stopNow(); });
  const results = [];
  try {
    const t0 = Date.now();
    lab = await startLab(opts.out);
    console.log(`-- JupyterLab ${lab.url} up after ${elapsed(t0)}; Chromium ${executablePath}`);
    browser = await chromium.launch({
      executablePath, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    for (let i = 0; i < opts.notebooks.length; i++) {
      console.log(`-- ${path.relative(ROOT, opts.notebooks[i])}`);
      const r = await testNotebook(browser, lab, opts.notebooks[i], opts);
      results.push(r);
      console.log(`   ${r.problems.length ? 'FAIL' : 'ok'} (${r.seconds} s)`);
      for (const p of r.problems) console.log(`     ${p}`);
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (lab) await lab.stop();
    lab = null;
  }
  for (const r of results) {
    const nb = path.join(ROOT, r.rel);
    if (hashFile(nb) !== hashes.get(nb)) r.problems.push('the notebook file changed on disk during the test');
  }
  const failed = results.filter((r) => r.problems.length);
  console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
  if (failed.length) {
    for (const r of failed) console.log(`FAIL ${r.rel}: ${r.problems.join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(`error: ${e && e.message ? e.message : e}`);
  process.exitCode = 1;
});
