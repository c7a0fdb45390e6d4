package report

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-fonts/liberation/liberationserifregular"
	"codeberg.org/go-pdf/fpdf"

	"github.com/daftar-bot/daftar/store"
)

// Paper is what the printed documents add to the course: the config's
// [certificate] section.
type Paper struct {
	// NumberFormat is how certificate numbers are written
	// (store.CertificateNumber).
	NumberFormat string
	// Signatory and SignatoryTitle sign the certificates and the
	// attendance sheet ("Kepala UPT BLK Jember").
	Signatory, SignatoryTitle string
	// City is where the documents are signed, before the date.
	City string
	// Logo is a PNG printed on the certificates, nil for none; made by
	// PrepareLogo, once, from the file the config names.
	Logo []byte
	// Bot is the bot's username: the certificates' QR codes open
	// t.me/<Bot>?start=cek-<code>.
	Bot string
}

// PrepareLogo returns the PNG data as the documents print it, or why it
// cannot be a logo (not a PNG, or of no size): flattened onto white, in
// 8-bit RGB without transparency. fpdf copies such a PNG's data as it is,
// where one with an alpha channel would be decoded and compressed again
// for each of a thousand certificates.
func PrepareLogo(data []byte) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a PNG image: %w", err)
	}
	r := img.Bounds()
	if r.Dx() == 0 || r.Dy() == 0 {
		return nil, fmt.Errorf("an empty PNG image")
	}
	if r.Dx() > 4000 || r.Dy() > 4000 {
		return nil, fmt.Errorf("a PNG image of %d×%d pixels: at most 4000×4000", r.Dx(), r.Dy())
	}
	flat := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(flat, flat.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(flat, flat.Bounds(), img, r.Min, draw.Over)
	// An RGBA image all opaque is written as 8-bit RGB.
	var buf bytes.Buffer
	if err := png.Encode(&buf, flat); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// VerifyLink is the address a certificate's QR code opens: the bot's
// deep link that checks code.
func VerifyLink(bot, code string) string {
	return "https://t.me/" + bot + "?start=" + VerifyStart + code
}

// VerifyStart is what the deep link's start parameter begins with before
// the code.
const VerifyStart = "cek-"

// The font families every PDF embeds: Liberation Sans and Serif, metric
// compatible with Arial and Times, covering Latin (with every accent
// Indonesian and European names use), Greek and Cyrillic. fpdf embeds
// only the glyphs a document uses.
const (
	fontSans  = "sans"
	fontSerif = "serif"
)

// The fonts a document may use, each a family and a style ("" or "B").
var fonts = map[[2]string][]byte{
	{fontSans, ""}:  liberationsansregular.TTF,
	{fontSans, "B"}: liberationsansbold.TTF,
	{fontSerif, ""}: liberationserifregular.TTF,
}

// cutRanges are the letters of the Liberation fonts that fpdf writes
// (as text in an embedded font): Latin with its accents and combining
// marks, Greek, Cyrillic, punctuation, currency, letter-like symbols and
// arrows. Any other letter is drawn by doc (unitext.go), as one
// Liberation lacks is. fpdf reads a document's fonts for each document,
// which is most of a certificate's cost: fonts cut to these ranges once
// (cutFonts) read faster, and subset faster when written.
var cutRanges = [][2]rune{
	{0x20, 0x7E}, {0xA0, 0x24F}, {0x2B0, 0x36F}, {0x370, 0x52F},
	{0x1E00, 0x1EFF}, {0x2000, 0x206F}, {0x20A0, 0x20CF}, {0x2100, 0x21FF},
}

// inCut reports whether r is in cutRanges.
func inCut(r rune) bool {
	for _, c := range cutRanges {
		if r >= c[0] && r <= c[1] {
			return true
		}
	}
	return false
}

// cutFonts are fonts cut to cutRanges, made once per process.
var cutFonts = sync.OnceValue(func() map[[2]string][]byte {
	var set strings.Builder
	for _, c := range cutRanges {
		for r := c[0]; r <= c[1]; r++ {
			set.WriteRune(r)
		}
	}
	out := make(map[[2]string][]byte, len(fonts))
	for key, data := range fonts {
		out[key] = fpdf.UTF8CutFont(data, set.String())
	}
	return out
})

// newPDF returns an empty A4 document in orientation ("P" or "L") with
// the fonts use names, and its metadata fixed to at, so that the same
// input gives the same document. (Not always byte for byte: fpdf orders
// a document's images of one width, and the glyphs of two letters that
// share one, as a map gives them. What a reader sees is the same.) Each
// font costs the reading of its file and its glyphs in the output: a
// document names only those it uses.
func newPDF(orientation, title string, at time.Time, use ...[2]string) *doc {
	f := &doc{Fpdf: fpdf.New(orientation, "mm", "A4", "")}
	f.SetCompression(false)
	for _, font := range use {
		f.AddUTF8FontFromBytes(font[0], font[1], cutFonts()[font])
	}
	f.SetCreationDate(at)
	f.SetModificationDate(at)
	f.SetCatalogSort(true)
	f.SetProducer("daftar", false)
	f.SetTitle(title, true)
	f.SetAutoPageBreak(false, 0)
	return f
}

// setFont sets the font for what is written next. Serif bold is the
// serif font drawn filled and outlined in the text's colour: a certificate
// then embeds one font, not two, which is what its cost is mostly made of
// (the font's reading and subsetting, per file, for a thousand files).
func setFont(f *doc, family, style string, size float64) {
	if family == fontSerif && style == "B" {
		f.SetFont(fontSerif, "", size)
		f.SetDrawColor(f.GetTextColor())
		f.SetLineWidth(size * 0.3528 * 0.035)
		f.SetTextRenderingMode(2) // fill, then stroke
		return
	}
	f.SetFont(family, style, size)
	f.SetTextRenderingMode(0)
}

// fitFont returns the largest font size from size down to minSize (in
// points) at which text fits width on one line, and minSize when none
// does (the caller wraps it then).
func fitFont(f *doc, family, style string, size, minSize, width float64, text string) float64 {
	for ; size > minSize; size -= 0.5 {
		setFont(f, family, style, size)
		if f.GetStringWidth(text) <= width {
			return size
		}
	}
	setFont(f, family, style, minSize)
	return minSize
}

// wrap splits text into lines no wider than width in the current font:
// at spaces, and inside a word only when the word alone is wider.
func wrap(f *doc, text string, width float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		for f.GetStringWidth(word) > width {
			// A word wider than the box is cut where it stops fitting.
			if line != "" {
				lines, line = append(lines, line), ""
			}
			// The longest start of it that fits, at least one letter:
			// found by halving, as measuring a text in a script fpdf
			// lacks means shaping it.
			r := []rune(word)
			n, hi := 1, len(r)-1
			for n < hi {
				if mid := (n + hi + 1) / 2; f.GetStringWidth(string(r[:mid])) <= width {
					n = mid
				} else {
					hi = mid - 1
				}
			}
			lines = append(lines, string(r[:n]))
			word = string(r[n:])
		}
		switch {
		case line == "":
			line = word
		case f.GetStringWidth(line+" "+word) <= width:
			line += " " + word
		default:
			lines, line = append(lines, line), word
		}
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}

// sessionHours returns the hours of all session days of b, as the
// certificate prints them: "49" or "45,5" (with the language's decimal
// mark).
func sessionHours(b store.Batch, lang string) string {
	var total time.Duration
	for n := 1; n <= b.Days; n++ {
		if d := b.SessionEnd(n).Sub(b.SessionStart(n)); d > 0 {
			total += d
		}
	}
	s := strconv.FormatFloat(total.Hours(), 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s) > i+2 {
		s = strconv.FormatFloat(total.Hours(), 'f', 1, 64)
	}
	if lang == "id" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// output writes f's document to w, or returns its first error.
func output(f *doc, w io.Writer) error {
	if err := f.Output(w); err != nil {
		return fmt.Errorf("report: pdf: %w", err)
	}
	return nil
}
