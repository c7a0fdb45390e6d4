package report

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"slices"
	"sync"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-text/typesetting/bidi"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// A name in a script the Liberation fonts lack (Arabic, Hebrew,
// Devanagari, Thai, Javanese, Chinese, an emoji, …) is not left to fpdf,
// which knows one font per piece of text, no shaping and no direction:
// it is split into runs by direction, script and the first font of the
// chain (Liberation, then fallbackFiles) that has the letters, each run
// shaped by HarfBuzz's rules (go-text/typesetting: Arabic joining,
// Indic and Javanese reordering and conjuncts, marks), the runs put in
// visual order (the Unicode bidi algorithm, rule L2), and the glyphs
// drawn as outlines in the text's colour. The same text is written over
// it invisibly (rendering mode 3) in the Liberation font, so that a
// reader's search and copy, and pdftotext, find the name as typed.
//
// Text that Liberation covers (as cutRanges cuts it) and that runs left
// to right is written by fpdf as before: the documents of Latin names
// look as they did.

//go:embed fonts/*.ttf.gz
var fallbackFS embed.FS

// fallbackFiles are the fonts tried after Liberation, in order: the
// scripts' own fonts first, then the wide ones. Each is asked only for
// the letters of its scripts (fallbackScripts), so that a name in one
// script reads one font: an emoji does not read the CJK font on its way
// to Symbola.
var fallbackFiles = []string{
	"NotoNaskhArabic-Regular",
	"NotoSansHebrew-Regular",
	"NotoSansDevanagari-Regular",
	"NotoSansBengali-Regular",
	"NotoSansTamil-Regular",
	"NotoSansThai-Regular",
	"NotoSansLao-Regular",
	"NotoSansKhmer-Regular",
	"NotoSansMyanmar-Regular",
	"NotoSansJavanese-Regular",
	"NotoSansBalinese-Regular",
	"NotoSansSundanese-Regular",
	"DejaVuSans",
	"DroidSansFallback",
	"Symbola_hint",
}

// fallbackScripts are the letters each font of fallbackFiles is asked
// for: those of its scripts, or (nil) any.
var fallbackScripts = map[string][]*unicode.RangeTable{
	"NotoNaskhArabic-Regular":    {unicode.Arabic},
	"NotoSansHebrew-Regular":     {unicode.Hebrew},
	"NotoSansDevanagari-Regular": {unicode.Devanagari},
	"NotoSansBengali-Regular":    {unicode.Bengali},
	"NotoSansTamil-Regular":      {unicode.Tamil},
	"NotoSansThai-Regular":       {unicode.Thai},
	"NotoSansLao-Regular":        {unicode.Lao},
	"NotoSansKhmer-Regular":      {unicode.Khmer},
	"NotoSansMyanmar-Regular":    {unicode.Myanmar},
	"NotoSansJavanese-Regular":   {unicode.Javanese},
	"NotoSansBalinese-Regular":   {unicode.Balinese},
	"NotoSansSundanese-Regular":  {unicode.Sundanese},
	"DroidSansFallback":          {unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo, cjkCommon},
}

// asks reports whether the fallback font name is asked for r.
func asks(name string, r rune) bool {
	scripts := fallbackScripts[name]
	return scripts == nil || unicode.In(r, scripts...)
}

// cjkCommon are the CJK punctuation, symbols and full-width forms, of no
// one script.
var cjkCommon = &unicode.RangeTable{R16: []unicode.Range16{
	{Lo: 0x3000, Hi: 0x303F, Stride: 1}, {Lo: 0x3200, Hi: 0x33FF, Stride: 1}, {Lo: 0xFF00, Hi: 0xFFEF, Stride: 1},
}}

// The fonts parsed for shaping are read once per process, each when
// first needed: the Liberation fonts on the first letter beyond Latin
// (to know whether fpdf has it), a fallback font on the first letter
// none of the fonts before it has, so that a batch of Latin names, or of
// Arabic ones, never reads the large CJK and emoji fonts (16 and 9 MB
// parsed). A *font.Font is safe for concurrent use; each document makes
// its own *font.Face of it. They never change after.
var loadBase = sync.OnceValues(func() (map[[2]string]*font.Font, error) {
	base := map[[2]string]*font.Font{}
	for key, data := range fonts {
		ft, err := font.ParseTTF(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("report: font %s %s: %w", key[0], key[1], err)
		}
		base[key] = ft.Font
	}
	return base, nil
})

// loadFallback[i] reads fallbackFiles[i].
var loadFallback = func() []func() (*font.Font, error) {
	loads := make([]func() (*font.Font, error), len(fallbackFiles))
	for i, name := range fallbackFiles {
		loads[i] = sync.OnceValues(func() (*font.Font, error) {
			data, err := gunzip(name)
			if err != nil {
				return nil, fmt.Errorf("report: font %s: %w", name, err)
			}
			ft, err := font.ParseTTF(bytes.NewReader(data))
			if err != nil {
				return nil, fmt.Errorf("report: font %s: %w", name, err)
			}
			return ft.Font, nil
		})
	}
	return loads
}()

func gunzip(name string) ([]byte, error) {
	f, err := fallbackFS.Open("fonts/" + name + ".ttf.gz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(z)
}

// doc is a document: fpdf's, with Text and GetStringWidth that handle
// any Unicode text. It keeps the font fpdf was last given, which fpdf
// does not tell.
type doc struct {
	*fpdf.Fpdf
	family, style string
	mode          int // text rendering mode
}

// shaper is what shaping needs that is not safe for concurrent use: the
// faces of the fonts (made when first used), HarfBuzz's caches (each
// face's layout tables, read once), the segmenter's and bidi's buffers.
// Documents take one from shapers while they shape and draw a text, so
// that the thousand certificates of a batch made on every CPU share a
// few.
type shaper struct {
	faces map[*font.Font]*font.Face
	hb    shaping.HarfbuzzShaper
	seg   shaping.Segmenter
	para  bidi.Paragraph
}

// shapers is a cache of shapers; what a document draws does not depend
// on which it gets.
var shapers = sync.Pool{New: func() any { return &shaper{faces: map[*font.Font]*font.Face{}} }}

// SetFont is fpdf's, remembered.
func (d *doc) SetFont(family, style string, size float64) {
	d.family, d.style = family, style
	d.Fpdf.SetFont(family, style, size)
}

// SetTextRenderingMode is fpdf's, remembered.
func (d *doc) SetTextRenderingMode(mode int) {
	d.mode = mode
	d.Fpdf.SetTextRenderingMode(mode)
}

// plain reports whether fpdf can write s itself: every letter is in the
// current Liberation font as newPDF embeds it (cutRanges) and none runs
// right to left.
func (d *doc) plain(s string) bool {
	for _, r := range s {
		if r < 0x180 { // Latin-1 and Latin Extended-A, which every Liberation font has
			continue
		}
		if !inCut(r) || isRTL(r) || !baseCover()[d.baseKey()][r] {
			return false
		}
	}
	return true
}

// baseCover are the letters of cutRanges each Liberation font has: what
// plain asks, without keeping the fonts parsed for shaping (several MB)
// in a process whose documents never need them.
var baseCover = sync.OnceValue(func() map[[2]string]map[rune]bool {
	out := map[[2]string]map[rune]bool{}
	for key, data := range fonts {
		has := map[rune]bool{}
		if ft, err := font.ParseTTF(bytes.NewReader(data)); err == nil {
			for _, c := range cutRanges {
				for r := c[0]; r <= c[1]; r++ {
					if _, ok := ft.NominalGlyph(r); ok {
						has[r] = true
					}
				}
			}
		}
		out[key] = has
	}
	return out
})

// baseKey is the key in fonts of the current font: its family and
// style, or the family's regular style when fonts has no such style
// (serif bold is drawn from serif).
func (d *doc) baseKey() [2]string {
	if _, ok := fonts[[2]string{d.family, d.style}]; ok {
		return [2]string{d.family, d.style}
	}
	return [2]string{d.family, ""}
}

// isRTL reports whether r is a letter of a script written right to left.
func isRTL(r rune) bool {
	return unicode.In(r, unicode.Hebrew, unicode.Arabic, unicode.Syriac, unicode.Thaana, unicode.Nko,
		unicode.Samaritan, unicode.Mandaic, unicode.Adlam, unicode.Hanifi_Rohingya, unicode.Mende_Kikakui)
}

func (d *doc) baseFont(base map[[2]string]*font.Font) *font.Font {
	return base[d.baseKey()]
}

// GetStringWidth is fpdf's for plain text and the shaped text's width
// otherwise.
func (d *doc) GetStringWidth(s string) float64 {
	if d.plain(s) {
		return d.Fpdf.GetStringWidth(s)
	}
	sh := shapers.Get().(*shaper)
	defer shapers.Put(sh)
	_, w, err := d.shape(sh, s)
	if err != nil {
		d.SetError(err)
		return d.Fpdf.GetStringWidth(s)
	}
	return w
}

// Text writes s with its baseline starting at (x, y), as fpdf's Text does.
func (d *doc) Text(x, y float64, s string) {
	if d.plain(s) {
		d.Fpdf.Text(x, y, s)
		return
	}
	sh := shapers.Get().(*shaper)
	defer shapers.Put(sh) // after drawing: the runs' faces are sh's
	runs, _, err := d.shape(sh, s)
	if err != nil {
		d.SetError(err)
		return
	}
	d.drawRuns(x, y, runs)
	// What a reader's program reads: each run's text, unseen, over its
	// letters and stretched (PDF's horizontal scaling, Tz) to their
	// width, in visual order as a PDF's text is (readers put
	// right-to-left runs back in the order typed); without the letters
	// beyond U+FFFF (emoji), which fpdf cannot write (its font subsets
	// end there: it panics on one).
	d.Fpdf.SetTextRenderingMode(3)
	pen := x
	for _, run := range runs {
		var seen []rune
		for _, r := range run.text {
			if r <= 0xFFFF {
				seen = append(seen, r)
			}
		}
		if run.level%2 == 1 {
			slices.Reverse(seen)
		}
		text := string(seen)
		if w := d.Fpdf.GetStringWidth(text); w > 0 && run.width > 0 {
			d.RawWriteStr(fmt.Sprintf("%.1f Tz", 100*min(10, max(0.1, run.width/w))))
			d.Fpdf.Text(pen, y, text)
			d.RawWriteStr("100 Tz")
		}
		pen += run.width
	}
	d.Fpdf.SetTextRenderingMode(d.mode)
}

// shapedRun is one run of text in one face and direction, shaped.
type shapedRun struct {
	text  []rune // the run's letters, in logical order
	out   shaping.Output
	face  *font.Face
	level bidi.Level
	scale float64 // millimetres per font unit
	width float64 // in millimetres
}

// shape splits s into runs, shapes them at the current font size and
// returns them in visual order, left to right, with their total width.
func (d *doc) shape(sh *shaper, s string) ([]shapedRun, float64, error) {
	base, err := loadBase()
	if err != nil {
		return nil, 0, err
	}
	text := []rune(s)
	if len(text) == 0 {
		return nil, 0, nil
	}
	_, size := d.GetFontSize() // in millimetres
	fm := &docFontmap{sh: sh, base: d.baseFont(base)}
	in := shaping.Input{Text: text, RunStart: 0, RunEnd: len(text), Direction: di.DirectionLTR}
	dir := bidi.LeftToRight
	if firstStrongRTL(text) {
		in.Direction = di.DirectionRTL
		dir = bidi.RightToLeft
	}
	levels := sh.para.Segment(text, dir)
	level := func(i int) bidi.Level {
		for n := 0; n < levels.NumRuns(); n++ {
			if r := levels.Run(n); i >= r.Start && i < r.End {
				return r.Level
			}
		}
		return 0
	}
	var runs []shapedRun
	width := 0.0
	split := sh.seg.Split(in, fm)
	if fm.err != nil {
		return nil, 0, fm.err
	}
	for _, run := range split {
		upem := int(run.Face.Upem())
		run.Size = fixed.I(upem) // positions in font units
		out := sh.hb.Shape(run)
		sr := shapedRun{text: run.Text[run.RunStart:run.RunEnd], out: out, face: run.Face, level: level(run.RunStart), scale: size / float64(upem)}
		for _, g := range out.Glyphs {
			sr.width += float64(g.Advance) / 64 * sr.scale
		}
		width += sr.width
		runs = append(runs, sr)
	}
	return visualOrder(runs), width, nil
}

// firstStrongRTL reports whether the first letter with a direction of
// text runs right to left: the paragraph's direction (bidi rules P2, P3).
func firstStrongRTL(text []rune) bool {
	for _, r := range text {
		if isRTL(r) {
			return true
		}
		if unicode.IsLetter(r) {
			return false
		}
	}
	return false
}

// visualOrder reorders runs (in logical order) as rule L2 of the bidi
// algorithm does: from the highest level down to the lowest odd one,
// every sequence of runs at that level or higher is reversed.
func visualOrder(runs []shapedRun) []shapedRun {
	var high, lowOdd bidi.Level = 0, 127
	for _, r := range runs {
		high = max(high, r.level)
		if r.level%2 == 1 {
			lowOdd = min(lowOdd, r.level)
		}
	}
	for lvl := high; lvl >= lowOdd && lvl > 0; lvl-- {
		for i := 0; i < len(runs); {
			if runs[i].level < lvl {
				i++
				continue
			}
			j := i
			for j < len(runs) && runs[j].level >= lvl {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				runs[a], runs[b] = runs[b], runs[a]
			}
			i = j
		}
	}
	return runs
}

// drawRuns fills the outlines of runs' glyphs from (x, baseline y), in
// the text colour; outlined too when the rendering mode strokes
// (setFont's serif bold).
func (d *doc) drawRuns(x, y float64, runs []shapedRun) {
	pen := x
	drew := false
	for _, run := range runs {
		for _, g := range run.out.Glyphs {
			ox := pen + float64(g.XOffset)/64*run.scale
			oy := y - float64(g.YOffset)/64*run.scale
			pen += float64(g.Advance) / 64 * run.scale
			outline, ok := run.face.GlyphDataOutline(g.GlyphID)
			if !ok {
				continue
			}
			drew = d.outline(outline, ox, oy, run.scale) || drew
		}
	}
	if !drew {
		return
	}
	fr, fg, fb := d.GetFillColor()
	d.SetFillColor(d.GetTextColor())
	if d.mode == 2 {
		d.DrawPath("FD")
	} else {
		d.DrawPath("F")
	}
	d.SetFillColor(fr, fg, fb)
}

// outline adds a glyph's outline to the current path, its origin at
// (x, y); false when it has none (a space).
func (d *doc) outline(o font.GlyphOutline, x, y, scale float64) bool {
	pt := func(p ot.SegmentPoint) (float64, float64) {
		return x + float64(p.X)*scale, y - float64(p.Y)*scale
	}
	var cx, cy float64 // the current point, for the quadratic curves
	for _, s := range o.Segments {
		switch s.Op {
		case ot.SegmentOpMoveTo:
			cx, cy = pt(s.Args[0])
			d.MoveTo(cx, cy)
		case ot.SegmentOpLineTo:
			cx, cy = pt(s.Args[0])
			d.LineTo(cx, cy)
		case ot.SegmentOpQuadTo:
			// fpdf's CurveTo is PDF's "v", not a quadratic curve: the
			// cubic curve with control points ⅔ of the way to the
			// quadratic one's is the same curve.
			qx, qy := pt(s.Args[0])
			ex, ey := pt(s.Args[1])
			d.CurveBezierCubicTo(cx+2*(qx-cx)/3, cy+2*(qy-cy)/3, ex+2*(qx-ex)/3, ey+2*(qy-ey)/3, ex, ey)
			cx, cy = ex, ey
		case ot.SegmentOpCubeTo:
			ax, ay := pt(s.Args[0])
			bx, by := pt(s.Args[1])
			cx, cy = pt(s.Args[2])
			d.CurveBezierCubicTo(ax, ay, bx, by, cx, cy)
		}
	}
	return len(o.Segments) > 0
}

// docFontmap resolves each letter to the first font of the chain that
// has it: the current Liberation font, then the fallbacks; the
// Liberation font (its empty box) when none has it.
type docFontmap struct {
	sh   *shaper
	base *font.Font
	err  error // the first font that could not be read
}

func (m *docFontmap) ResolveFace(r rune) *font.Face {
	if _, ok := m.base.NominalGlyph(r); ok {
		return m.sh.face(m.base)
	}
	for i, load := range loadFallback {
		if !asks(fallbackFiles[i], r) {
			continue
		}
		ft, err := load()
		if err != nil {
			m.err = cmp.Or(m.err, err)
			continue
		}
		if _, ok := ft.NominalGlyph(r); ok {
			return m.sh.face(ft)
		}
	}
	return m.sh.face(m.base)
}

// face returns sh's face of ft.
func (sh *shaper) face(ft *font.Font) *font.Face {
	if f, ok := sh.faces[ft]; ok {
		return f
	}
	f := font.NewFace(ft)
	sh.faces[ft] = f
	return f
}
