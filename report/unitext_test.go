package report

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/daftar-bot/daftar/store"
)

// uniNames are names in scripts the Liberation fonts lack, or written
// right to left: each must be drawn by the fallback chain.
var uniNames = []string{
	"王秀英",              // Chinese
	"さくら 山田",           // Japanese
	"김민준",              // Korean
	"محمد عبد الله",    // Arabic: joined letters, right to left
	"דוד כהן",          // Hebrew: right to left (Liberation has the letters)
	"किरण शर्मा",       // Devanagari: the i sign before its consonant, a conjunct
	"สมชาย ใจดี",       // Thai
	"ꦱꦶꦠꦶ ꦄꦩꦶꦤꦃ",       // Javanese script
	"Siti 🌸 Aminah",    // an emoji between Latin words
	"Ahmad (أحمد) Ali", // Latin and Arabic in one name
}

// contains reports whether text has name as readable gives it. A name
// in two directions or with an emoji is looked for word by word:
// pdftotext's own guess of the reading order of a line in two
// directions puts its spaces and brackets elsewhere, and the gap where
// an emoji is drawn (it has no text) can split a narrow table cell's
// name into two blocks.
func contains(text, name string) bool {
	if name != "Ahmad (أحمد) Ali" && !strings.ContainsFunc(name, func(r rune) bool { return r > 0xFFFF }) {
		return strings.Contains(text, readable(name))
	}
	for _, w := range strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(readable(name))) {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// readable is name as pdftotext gives it back: without the emoji, which
// fpdf cannot write as text (they are drawn), its spaces single.
func readable(name string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return -1
		}
		return r
	}, name)), " ")
}

// readerText is pdfText without the bidi marks pdftotext puts around
// right-to-left runs.
func readerText(tb testing.TB, path string) []string {
	pages := pdfText(tb, path)
	for i, p := range pages {
		pages[i] = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
			if r >= 0x202A && r <= 0x202E {
				return -1
			}
			return r
		}, p)), " ")
	}
	return pages
}

// Ensure that every letter of the names is drawn from a font that has
// it: no letter is shaped into the empty box (glyph 0), in both families.
func TestDoc_FallbackChainCoversNames(t *testing.T) {
	d := newPDF("P", "t", time.Date(2025, 10, 20, 0, 0, 0, 0, paperLoc), [2]string{fontSans, ""}, [2]string{fontSerif, ""})
	d.AddPage()
	sh := shapers.Get().(*shaper)
	for _, family := range []string{fontSans, fontSerif} {
		d.SetFont(family, "", 12)
		for _, name := range uniNames {
			if d.plain(name) {
				t.Errorf("%s: %q is left to fpdf", family, name)
			}
			runs, w, err := d.shape(sh, name)
			if err != nil {
				t.Fatal(err)
			}
			if w <= 0 {
				t.Errorf("%s: %q has width %v", family, name, w)
			}
			for _, run := range runs {
				for _, g := range run.out.Glyphs {
					if g.GlyphID == 0 {
						t.Errorf("%s: %q: a letter of %q is drawn as the empty box", family, name, string(run.text))
					}
				}
			}
		}
		for _, latin := range []string{"Siti Aminah", longName, "Nguyễn Thị Ánh Tuyết", "Анна Ковалёва", "Ελένη"} {
			if !d.plain(latin) {
				t.Errorf("%s: %q is not left to fpdf, which has its letters", family, latin)
			}
		}
	}
	// An unknown letter (private use) is the only kind left as a box.
	runs, _, _ := d.shape(sh, "\ue000")
	if len(runs) != 1 || runs[0].out.Glyphs[0].GlyphID != 0 {
		t.Errorf("a private-use letter: %+v", runs)
	}
}

// Ensure that a letter is looked for only in the fallback fonts of its
// script and the wide ones: an emoji or a Javanese name never reads the
// large CJK font.
func TestAsks(t *testing.T) {
	for r, want := range map[rune][]string{
		'🌸': {"DejaVuSans", "Symbola_hint"},
		'ꦱ': {"NotoSansJavanese-Regular", "DejaVuSans", "Symbola_hint"},
		'王': {"DejaVuSans", "DroidSansFallback", "Symbola_hint"},
		'김': {"DejaVuSans", "DroidSansFallback", "Symbola_hint"},
		'م': {"NotoNaskhArabic-Regular", "DejaVuSans", "Symbola_hint"},
	} {
		var got []string
		for _, name := range fallbackFiles {
			if asks(name, r) {
				got = append(got, name)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q is looked for in %v, want %v", r, got, want)
		}
	}
}

// Ensure that right-to-left runs are put in visual order (rule L2): an
// Arabic name inside a Latin one keeps its place, its letters reversed.
func TestVisualOrder(t *testing.T) {
	runs := []shapedRun{{level: 0, text: []rune("a")}, {level: 1, text: []rune("b")}, {level: 2, text: []rune("c")}, {level: 1, text: []rune("d")}, {level: 0, text: []rune("e")}}
	var got string
	for _, r := range visualOrder(runs) {
		got += string(r.text)
	}
	if got != "adcbe" {
		t.Errorf("visual order %q, want adcbe", got)
	}
}

// Ensure that the certificates, the attendance sheet and the activity
// report of people with such names read back as typed (pdftotext), render
// on every page (pdftoppm), and draw each name's own letters: the name's
// area differs from that of a name of as many unknown letters, which
// every font draws as the same empty box.
func TestUnicodeNames_Documents(t *testing.T) {
	needPoppler(t)
	c, b := paperCourse()
	b.Days = 2
	c.CertificateMinDays = 1
	names := append(slices.Clone(uniNames), "Budi Santoso")
	certs := testCerts(b, names...)

	var cert bytes.Buffer
	if err := WriteCertificates(&cert, c, b, certs, testPaper); err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, "sertifikat.pdf", cert.Bytes())
	if n := pdfPages(t, path); n != len(certs) {
		t.Fatalf("%d pages for %d certificates", n, len(certs))
	}
	for i, page := range readerText(t, path) {
		if !contains(page, names[i]) {
			t.Errorf("certificate %d lacks %q:\n%s", i+1, names[i], page)
		}
	}

	// Made on every CPU at once, from the fonts parsed once.
	files := 0
	if err := WriteCertificateFiles(c, b, certs, testPaper, func(store.Certificate, []byte) error { files++; return nil }, io.Discard); err != nil || files != len(certs) {
		t.Fatalf("WriteCertificateFiles: %v, %d files", err, files)
	}

	var people []store.Participant
	for i, n := range names {
		people = append(people, store.Participant{UserID: int64(i + 1), Batch: b.ID, Status: store.StatusRegistered, Seat: i + 1, Answers: map[string]string{"name": n}})
	}
	marks := map[int64]map[int]bool{1: {1: true}, 4: {1: true, 2: true}}
	var sheet, report bytes.Buffer
	if err := WriteAttendanceList(&sheet, c, b, people, marks, testPaper, b.Day(1)); err != nil {
		t.Fatal(err)
	}
	if err := WriteActivityReport(&report, c, b, ActivityRows{People: people, Marks: marks, Certificates: certs}, b.SessionEnd(2)); err != nil {
		t.Fatal(err)
	}
	for kind, data := range map[string][]byte{"attendance sheet": sheet.Bytes(), "activity report": report.Bytes()} {
		path := writeTemp(t, "doc.pdf", data)
		pdfPages(t, path)
		text := strings.Join(readerText(t, path), " ")
		for _, n := range names {
			if !contains(text, n) {
				t.Errorf("the %s lacks %q:\n%s", kind, readable(n), text)
			}
		}
	}

	// Each name's own letters are drawn, not boxes.
	nameArea := func(name string) []byte {
		var buf bytes.Buffer
		if err := WriteCertificates(&buf, c, b, testCerts(b, name), testPaper); err != nil {
			t.Fatal(err)
		}
		pdf := writeTemp(t, "one.pdf", buf.Bytes())
		out := filepath.Join(t.TempDir(), "name")
		// The name's lines, 60 to 80 mm from the top, at 50 dpi.
		if msg, err := exec.Command("pdftoppm", "-r", "50", "-x", "0", "-y", "118", "-W", "585", "-H", "40", "-singlefile", "-png", pdf, out).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, msg)
		}
		data, err := os.ReadFile(out + ".png")
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	for _, name := range uniNames {
		boxes := strings.Map(func(r rune) rune {
			if r == ' ' {
				return r
			}
			return 0xE000
		}, name)
		if bytes.Equal(nameArea(name), nameArea(boxes)) {
			t.Errorf("%q is drawn as empty boxes", name)
		}
	}
}

// Ensure that text fpdf writes itself is unchanged: a Latin name's
// certificate has no drawn letters (no path filled outside the frame
// and the QR code), so the documents of today's names stay as they were.
func TestDoc_PlainTextIsFpdfs(t *testing.T) {
	d := newPDF("P", "t", time.Date(2025, 10, 20, 0, 0, 0, 0, paperLoc), [2]string{fontSans, ""})
	d.AddPage()
	d.SetFont(fontSans, "", 10)
	d.Text(10, 10, "Nguyễn Thị Ánh Tuyết")
	d.SetCompression(false)
	var buf bytes.Buffer
	if err := d.Output(&buf); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte(" f\n")) || !bytes.Contains(buf.Bytes(), []byte(" Tj")) {
		t.Error("a Latin name is not written as fpdf's text")
	}
	var _ *fpdf.Fpdf = d.Fpdf
}

// FuzzDocText checks that any text a person can type as their name is
// measured, wrapped, drawn and written into a PDF without a panic or an
// error (fpdf alone panicked on a letter beyond U+FFFF).
// go test -run XXX -fuzz FuzzDocText ./report
func FuzzDocText(f *testing.F) {
	for _, n := range append(slices.Clone(uniNames), longName, "", " ", "\u200d", "\u202e abc", "a\u0301\u0302\u0303", "\U0010FFFF", "\xff\xfe", "👨‍👩‍👧 ﷽") {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, name string) {
		d := newPDF("L", "t", time.Date(2025, 10, 20, 0, 0, 0, 0, paperLoc), [2]string{fontSerif, ""})
		d.AddPage()
		size := fitFont(d, fontSerif, "B", 30, 18, certText, name)
		for i, l := range wrap(d, name, certText) {
			centre(d, fontSerif, "B", size, 50+float64(i)*10, l)
		}
		d.SetFont(fontSerif, "", 10)
		d.Text(10, 150, name)
		if err := d.Output(io.Discard); err != nil {
			t.Fatalf("%q: %v", name, err)
		}
	})
}
