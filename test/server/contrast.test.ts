import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  builtInDarkPalette,
  contrastRatio,
  readableShade,
  schemeColours,
  themeSchemes,
  themeWarnings,
  type Palette,
} from '../../server/contract';
import { defaultTheme } from '../../server/lib/theme';

const hex = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
  .map((rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`);

const isDark = (colour: string) => contrastRatio(colour, '#ffffff') > contrastRatio(colour, '#000000');
/** Clearly light or clearly dark (black or white reads on it at 7:1), as a page background is. */
const clear = (colour: string) => Math.max(contrastRatio(colour, '#ffffff'), contrastRatio(colour, '#000000')) >= 7;

/** A palette whose background and surface are clearly light or clearly dark, both the same, as real themes are. */
const palette: fc.Arbitrary<Palette> = fc
  .record({ primaryColor: hex, textColor: hex, backgroundColor: hex, surfaceColor: hex })
  .filter(
    (p) => clear(p.backgroundColor) && clear(p.surfaceColor) && isDark(p.backgroundColor) === isDark(p.surfaceColor),
  );

const AA = 4.5;
/** A colour mixed into a background as `color-mix(in srgb, colour 14%, background)` does it (the badges' tint). */
const tint = (colour: string, background: string) => {
  const channels = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const [c, b] = [channels(colour), channels(background)];
  return `#${c
    .map((v, i) =>
      Math.round(v * 0.14 + b[i] * 0.86)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
};

describe('contrastRatio', () => {
  test('follows WCAG 2: 21:1 for black on white, 1:1 for a colour on itself, #777 just below 4.5:1 on white', () => {
    assert.equal(contrastRatio('#000', '#fff'), 21);
    assert.equal(contrastRatio('#4f46e5', '#4f46e5'), 1);
    assert.equal(Math.round(contrastRatio('#777777', '#ffffff') * 100) / 100, 4.48);
    assert.equal(contrastRatio('#fff', '#000'), contrastRatio('#000', '#fff'), 'symmetric');
  });
});

describe('readableShade', () => {
  test('keeps a colour that already reads, darkens one that is too light on white and lightens one too dark on black', () => {
    assert.deepEqual(readableShade('#4f46e5', ['#ffffff']).colour, '#4f46e5');
    const onWhite = readableShade('#facc15', ['#ffffff']);
    assert.ok(onWhite.reached && contrastRatio(onWhite.colour, '#ffffff') >= AA);
    const onBlack = readableShade('#1e3a8a', ['#000000']);
    assert.ok(onBlack.reached && contrastRatio(onBlack.colour, '#000000') >= AA);
    assert.ok(contrastRatio(onBlack.colour, '#ffffff') < contrastRatio('#1e3a8a', '#ffffff'), 'it went lighter');
  });

  test('says when no shade can reach the ratio (backgrounds on opposite sides)', () => {
    const result = readableShade('#4f46e5', ['#ffffff', '#000000']);
    assert.equal(result.reached, false);
  });

  test('any colour reaches 4.5:1 on a clearly light or dark background and on its own tint; reached means it does', () => {
    fc.assert(
      fc.property(hex, hex, (colour, background) => {
        const { colour: shade, reached } = readableShade(colour, [background]);
        if (clear(background)) assert.ok(reached, `${colour} on ${background}`);
        if (!reached) return;
        assert.ok(contrastRatio(shade, background) >= AA);
        assert.ok(contrastRatio(shade, tint(shade, background)) >= AA - 0.05, 'and on its own tint');
      }),
    );
  });
});

describe('schemeColours', () => {
  test('the default theme keeps its colours: indigo buttons with white text, the usual danger and success', () => {
    const colours = schemeColours(defaultTheme);
    assert.equal(colours.scheme, 'light');
    assert.equal(colours.primaryText, defaultTheme.primaryColor);
    assert.equal(colours.onPrimary, '#ffffff');
    assert.equal(colours.danger, '#b42318');
    assert.equal(colours.mutedWeight, 0.74);
  });

  test('whatever the palette, text on the primary, danger and success buttons reaches 4.5:1', () => {
    fc.assert(
      fc.property(palette, (p) => {
        const c = schemeColours(p);
        assert.ok(contrastRatio(c.onPrimary, c.primary) >= AA, `${c.onPrimary} on ${c.primary}`);
        assert.ok(contrastRatio(c.onDanger, c.danger) >= AA);
        assert.ok(contrastRatio(c.onSuccess, c.success) >= AA);
      }),
    );
  });

  test('whatever the primary colour, links, danger, success and warning text reach 4.5:1 on background, surface and their badge tint', () => {
    fc.assert(
      fc.property(palette, (p) => {
        const c = schemeColours(p);
        for (const colour of [c.primaryText, c.danger, c.success, c.warning]) {
          for (const background of [c.background, c.surface, tint(colour, c.background)]) {
            assert.ok(contrastRatio(colour, background) >= AA - 0.05, `${colour} on ${background}`);
          }
        }
      }),
    );
  });

  test('muted text reaches 4.5:1 on background and surface whenever the text colour does', () => {
    fc.assert(
      fc.property(palette, (p) => {
        const c = schemeColours(p);
        if (Math.min(contrastRatio(p.textColor, p.backgroundColor), contrastRatio(p.textColor, p.surfaceColor)) < AA)
          return;
        assert.ok(contrastRatio(c.muted, c.background) >= AA - 0.05, `${c.muted} on ${c.background}`);
        assert.ok(contrastRatio(c.muted, c.surface) >= AA - 0.05, `${c.muted} on ${c.surface}`);
      }),
    );
  });
});

describe('the built-in dark palette', () => {
  test('lightens any primary colour until it reads on the dark background, and never warns', () => {
    fc.assert(
      fc.property(hex, (primaryColor) => {
        const dark = builtInDarkPalette(primaryColor);
        const c = schemeColours(dark);
        assert.equal(c.scheme, 'dark');
        assert.equal(c.primaryText, dark.primaryColor, 'its primary needs no second adjustment');
        assert.ok(contrastRatio(dark.primaryColor, dark.backgroundColor) >= AA);
        assert.ok(contrastRatio(c.muted, dark.surfaceColor) >= AA);
        assert.deepEqual(themeWarnings({ ...defaultTheme, primaryColor, colorScheme: 'dark' }), []);
      }),
      { numRuns: 50 },
    );
  });
});

describe('themeSchemes', () => {
  test('auto shows light and the built-in dark palette; light and dark show one; a dark palette of its own wins', () => {
    const auto = themeSchemes(defaultTheme);
    assert.equal(auto.light?.scheme, 'light');
    assert.equal(auto.dark?.background, '#161b26');
    assert.equal(themeSchemes({ ...defaultTheme, colorScheme: 'light' }).dark, null);
    assert.equal(themeSchemes({ ...defaultTheme, colorScheme: 'dark' }).light, null);
    const own = { primaryColor: '#2dd4bf', textColor: '#e2e8f0', backgroundColor: '#0f172a', surfaceColor: '#1e293b' };
    assert.equal(themeSchemes({ ...defaultTheme, dark: own }).dark?.background, '#0f172a');
  });
});

describe('themeWarnings', () => {
  test('has none for the default theme', () => {
    assert.deepEqual(themeWarnings(defaultTheme), []);
  });

  test('names a yellow primary on white with the colour used instead, and grey text on white', () => {
    const warnings = themeWarnings({ ...defaultTheme, primaryColor: '#facc15', textColor: '#9ca3af' });
    assert.deepEqual(
      warnings.map((w) => [w.code, w.field, w.against]),
      [
        ['text_contrast', 'textColor', 'backgroundColor'],
        ['text_contrast', 'textColor', 'surfaceColor'],
        ['primary_adjusted', 'primaryColor', 'backgroundColor'],
      ],
    );
    const primary = warnings[2];
    assert.equal(primary.replacement, schemeColours({ ...defaultTheme, primaryColor: '#facc15' }).primaryText);
    assert.ok(primary.ratio < 2);
  });
});
