// The console's one component: header, the current view's lines, the prompt,
// and a key hint footer, in a root box one row shorter than the terminal (a
// full-height root makes ink 6.8 clear and repaint every frame).
import { Box, Text, useInput, useStdin } from 'ink';
import Spinner from 'ink-spinner';
import { useEffect, useSyncExternalStore } from 'react';
import type { ConsoleState } from '../state/console/index.js';
import { splitChunk, toInput } from './keys.js';
import type { Store } from './store.js';
import { tone, fit, type Theme } from './theme.js';
import { SCREENS } from './screens.js';
import { L, type Line, type ViewCtx } from './views/line.js';
import { helpView } from './views/help.js';
import { promptView } from './views/prompt.js';
import { bannerView } from './views/banner.js';
import { runClock } from './views/run.js';
import { sanitizeForDisplay } from '../state/display-text.js';

function footer(s: ConsoleState): string {
  if (s.help) return 'any key: close help';
  // The quit question keeps the screen's footer: on a serial line every changed line costs bytes.
  if (s.prompt && s.prompt.kind !== 'quit') return '?:help  Ctrl-C:quit';
  return SCREENS[s.screen].footer(s);
}

export interface Frame {
  header: string;
  body: Line[];
  prompt: Line[];
  foot: string;
  /** How far the current view can scroll (0 when it fits). */
  maxScroll: number;
}

export function frameLines(s: ConsoleState, theme: Theme, rows: number, cols: number): Frame {
  const width = cols - 1;
  const headLeft = `triton-recover  ${s.label}  ${SCREENS[s.screen].title}`;
  const headRight = s.screen === 'run' ? runClock(s, !theme.serial, true) : '';
  const header = fit(
    headRight ? `${headLeft.padEnd(Math.max(0, width - headRight.length - 1))} ${headRight}` : headLeft,
    width,
  );
  const height = rows - 1 - 2; // root is rows-1; header and footer
  const prompt = s.prompt && !s.help ? promptView(s.prompt, s, { theme, width, height }) : [];
  const banner = s.help ? [] : bannerView(s, { theme, width, height });
  const ctx: ViewCtx = { theme, width, height: height - prompt.length - banner.length };
  let maxScroll = 0;
  const scrolled = (all: Line[]): Line[] => {
    if (all.length <= ctx.height) return all;
    const room = ctx.height - 1;
    maxScroll = all.length - room;
    const top = Math.min(s.scroll, maxScroll);
    return [
      ...all.slice(top, top + room),
      L(`-- lines ${top + 1}-${top + room} of ${all.length}; j/k, space/b, g/G to scroll --`, 'dim'),
    ];
  };
  const view = s.help ? { lines: helpView(s, ctx), scroll: 'view' as const } : SCREENS[s.screen].body(s, ctx);
  const body = view.scroll === 'frame' ? scrolled(view.lines) : view.lines;
  return { header, body: [...banner, ...body.slice(0, ctx.height)], prompt, foot: fit(footer(s), width), maxScroll };
}

function Row({ line, theme, width }: { line: Line; theme: Theme; width: number }) {
  // ink gives an empty <Text> no height: a blank line needs a space.
  if (line.every((seg) => seg.text === '' && !seg.spinner)) return <Text> </Text>;
  let left = width;
  return (
    <Text wrap="truncate">
      {line.map((seg, i) => {
        // Normal mode only: on a serial line every frame of it would cost bytes the operator's keys need.
        if (seg.spinner) {
          if (theme.serial || left < 1) return null;
          left -= 1;
          return (
            <Text key={i} {...tone(theme, 'busy')}>
              <Spinner type={theme.ascii ? 'line' : 'dots'} />
            </Text>
          );
        }
        const text = sanitizeForDisplay(seg.text).slice(0, Math.max(0, left));
        left -= text.length;
        return (
          <Text key={i} {...tone(theme, seg.tone ?? 'plain')} bold={!!seg.bold} inverse={!!seg.inverse}>
            {text}
          </Text>
        );
      })}
    </Text>
  );
}

export interface AppProps {
  store: Store;
  theme: Theme;
  rows: number;
  cols: number;
}

export function App({ store, theme, rows, cols }: AppProps) {
  const s = useSyncExternalStore(store.subscribe, store.get);
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      // While a question is open, letters are its answers (g go, s skip, ...),
      // not commands. Read fresh per character: "s" + "why\r" in one chunk
      // opens the reason field, then types into it.
      const typing = (): boolean => store.get().prompt !== undefined && !store.get().help;
      for (const ch of splitChunk(input, key)) {
        const i = toInput(ch.input, ch.key, typing());
        if (i) store.dispatch({ t: 'input', input: i });
      }
    },
    { isActive: isRawModeSupported === true },
  );
  // The clock ticks only while a restore runs: an idle console sends nothing.
  const running = s.screen === 'run' && s.run.phase === 'running';
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => store.dispatch({ t: 'tick', now: Date.now() }), theme.tickMs);
    return () => clearInterval(id);
  }, [running, store, theme.tickMs]);

  const f = frameLines(s, theme, rows, cols);
  useEffect(() => {
    if (f.maxScroll !== s.maxScroll) store.dispatch({ t: 'viewport', maxScroll: f.maxScroll });
  }, [f.maxScroll, s.maxScroll, store]);
  const width = cols - 1;
  return (
    <Box flexDirection="column" height={rows - 1} width={cols}>
      <Text bold inverse={theme.color} wrap="truncate">
        {f.header}
      </Text>
      <Box flexDirection="column" flexGrow={1}>
        {f.body.map((l, i) => (
          <Row key={i} line={l} theme={theme} width={width} />
        ))}
      </Box>
      {f.prompt.map((l, i) => (
        <Row key={`p${i}`} line={l} theme={theme} width={width} />
      ))}
      <Text {...tone(theme, 'dim')} wrap="truncate">
        {f.foot}
      </Text>
    </Box>
  );
}
