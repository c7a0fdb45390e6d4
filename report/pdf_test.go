package report

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/daftar-bot/daftar/store"
)

// Poppler's tools read the PDFs as a reader's program would. Without them
// the PDF tests are skipped, unless DAFTAR_REQUIRE_POPPLER is set (as
// .ci/run does, after installing poppler-utils).
func needPoppler(tb testing.TB) {
	tb.Helper()
	for _, tool := range []string{"pdftotext", "pdftoppm", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("DAFTAR_REQUIRE_POPPLER") != "" {
				tb.Fatalf("%s not found: install poppler-utils", tool)
			}
			tb.Skipf("%s not found: install poppler-utils to run this test", tool)
		}
	}
}

// writeTemp writes data to name in a temporary directory.
func writeTemp(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// pdfText returns the text of every page of the PDF at path, each page's
// whitespace runs made single spaces.
func pdfText(tb testing.TB, path string) []string {
	tb.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		tb.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	for i, p := range pages {
		pages[i] = strings.Join(strings.Fields(p), " ")
	}
	return pages
}

// pdfPages returns the number of pages pdfinfo counts, and renders every
// page with pdftoppm, failing tb on any error or warning.
func pdfPages(tb testing.TB, path string) int {
	tb.Helper()
	out, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil {
		tb.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	n := 0
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Pages:"); ok {
			n, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	dir := tb.TempDir()
	cmd := exec.Command("pdftoppm", "-r", "20", "-png", path, filepath.Join(dir, "page"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		tb.Fatalf("pdftoppm: %v\n%s", err, stderr.String())
	}
	rendered, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(rendered) != n || n == 0 {
		tb.Fatalf("pdftoppm rendered %d pages of %d", len(rendered), n)
	}
	return n
}

// word is one word pdftotext -bbox found, in points from the top left.
type word struct {
	Text                   string     `xml:",chardata"`
	XMin, YMin, XMax, YMax float64    `xml:"-"`
	Attrs                  []xml.Attr `xml:",any,attr"`
}

// pdfWords returns the words of each page with their boxes.
func pdfWords(tb testing.TB, path string) [][]word {
	tb.Helper()
	out, err := exec.Command("pdftotext", "-bbox", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		tb.Fatalf("pdftotext -bbox: %v", err)
	}
	var doc struct {
		Body struct {
			Doc struct {
				Pages []struct {
					Words []word `xml:"word"`
				} `xml:"page"`
			} `xml:"doc"`
		} `xml:"body"`
	}
	dec := xml.NewDecoder(bytes.NewReader(out))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&doc); err != nil {
		tb.Fatalf("pdftotext -bbox output: %v", err)
	}
	var pages [][]word
	for _, p := range doc.Body.Doc.Pages {
		for i := range p.Words {
			for _, a := range p.Words[i].Attrs {
				v, _ := strconv.ParseFloat(a.Value, 64)
				switch a.Name.Local {
				case "xMin":
					p.Words[i].XMin = v
				case "yMin":
					p.Words[i].YMin = v
				case "xMax":
					p.Words[i].XMax = v
				case "yMax":
					p.Words[i].YMax = v
				}
			}
		}
		pages = append(pages, p.Words)
	}
	return pages
}

const mmPt = 72 / 25.4

// longName is a name of 80 characters with accents and an apostrophe.
var longName = func() string {
	n := "Raden Ajeng Nur'aini Çahyaningrum Élisabeth Sëtyowati Hadiningrat Wulandari Prameswari"
	r := []rune(n)
	return string(r[:80])
}()

var paperLoc = time.FixedZone("WIB", 7*3600)

func paperCourse() (store.Course, store.Batch) {
	b := store.Batch{
		ID: "angkatan-1", Name: "Angkatan 1", Days: 7, Capacity: 100,
		Start: time.Date(2025, 10, 20, 0, 0, 0, 0, paperLoc), DailyStart: "08:00", DailyEnd: "15:00",
	}
	c := store.Course{
		Title: "Pelatihan Menjahit", Organiser: "Diskopum Kabupaten Jember & UPT BLK Jember",
		Venue: "Ruang Garment Apparel, UPT BLK Jember", Location: paperLoc, Language: "id",
		CertificateMinDays: 6, Batches: []store.Batch{b},
		Fields: []store.Field{{Key: "name", Kind: store.KindText}},
	}
	return c, b
}

var testPaper = Paper{
	NumberFormat: "{seq:03}/{batch}/BLK-JBR/{year}", Signatory: "Drs. Bambang Sutrisno, M.Si.",
	SignatoryTitle: "Kepala UPT BLK Jember", City: "Jember", Bot: "daftar_blk_bot",
}

func testCerts(b store.Batch, names ...string) []store.Certificate {
	var out []store.Certificate
	for i, n := range names {
		out = append(out, store.Certificate{
			Batch: b.ID, UserID: int64(1000 + i), Seq: i + 1,
			Number: store.CertificateNumber(testPaper.NumberFormat, i+1, b),
			Code:   "abcdefghjk" + strconv.Itoa(10+i), Name: n, DaysPresent: 7,
			IssuedAt: b.SessionEnd(7),
		})
	}
	return out
}

// Ensure that the certificates read as a reader's program reads them:
// every name, number, date and the course on its page, every page
// rendered, and a long name with accents and an apostrophe inside the
// frame.
func TestWriteCertificates(t *testing.T) {
	needPoppler(t)
	if utf8.RuneCountInString(longName) != 80 {
		t.Fatalf("longName has %d characters", utf8.RuneCountInString(longName))
	}
	c, b := paperCourse()
	names := []string{"Siti Aminah", longName, "Nguyễn Thị Ánh Tuyết", "Ömer Şahin-D'Souza", "Анна Ковалёва"}
	certs := testCerts(b, names...)
	var buf bytes.Buffer
	if err := WriteCertificates(&buf, c, b, certs, testPaper); err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, "sertifikat.pdf", buf.Bytes())
	if n := pdfPages(t, path); n != len(certs) {
		t.Fatalf("%d pages for %d certificates", n, len(certs))
	}
	pages := pdfText(t, path)
	for i, cert := range certs {
		for _, want := range []string{
			"SERTIFIKAT", cert.Name, "Nomor: " + cert.Number, "Pelatihan Menjahit", "Angkatan 1, 20–26 Okt 2025",
			"7 hari (49 jam pelajaran)", c.Organiser, c.Venue, "Jember, Minggu, 26 Okt 2025",
			testPaper.Signatory, testPaper.SignatoryTitle, "Kode verifikasi: " + cert.Code, "@daftar_blk_bot",
		} {
			if !strings.Contains(pages[i], want) {
				t.Errorf("page %d lacks %q:\n%s", i+1, want, pages[i])
			}
		}
	}
	// Inside the inner frame, on every page.
	for i, words := range pdfWords(t, path) {
		for _, w := range words {
			if w.XMin < 12*mmPt || w.XMax > (297-12)*mmPt || w.YMax > (210-12)*mmPt {
				t.Errorf("page %d: %q at x %.0f–%.0f, y %.0f is outside the frame", i+1, w.Text, w.XMin, w.XMax, w.YMax)
			}
		}
	}

	// The QR code opens the verification link (checked where zbarimg,
	// Debian's zbar-tools, is installed: .ci/run installs it).
	if _, err := exec.LookPath("zbarimg"); err == nil || os.Getenv("DAFTAR_REQUIRE_POPPLER") != "" {
		png := filepath.Join(t.TempDir(), "page")
		if out, err := exec.Command("pdftoppm", "-r", "150", "-f", "2", "-l", "2", "-singlefile", "-png", path, png).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, out)
		}
		out, err := exec.Command("zbarimg", "-q", "--raw", png+".png").Output()
		if want := VerifyLink(testPaper.Bot, certs[1].Code); err != nil || strings.TrimSpace(string(out)) != want {
			t.Errorf("QR code of page 2 reads %q (%v), want %q", out, err, want)
		}
	}

	// One certificate alone is a participant's file; the same bytes
	// every time.
	var one, again bytes.Buffer
	if err := WriteCertificates(&one, c, b, certs[:1], testPaper); err != nil {
		t.Fatal(err)
	}
	if err := WriteCertificates(&again, c, b, certs[:1], testPaper); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(one.Bytes(), again.Bytes()) {
		t.Error("the same certificate made twice differs")
	}
	// The files of each and of all, made together, are those made alone.
	var all bytes.Buffer
	n := 0
	err := WriteCertificateFiles(c, b, certs, testPaper, func(cert store.Certificate, data []byte) error {
		if cert != certs[n] {
			t.Errorf("file %d is of %s, want %s", n, cert.Number, certs[n].Number)
		}
		if n == 0 && !bytes.Equal(data, one.Bytes()) {
			t.Error("the first file differs from WriteCertificates of it")
		}
		n++
		return nil
	}, &all)
	// (fpdf orders the font subset of letters sharing a glyph, as Latin
	// and Cyrillic A may, as a map gives them: compare what a reader sees.)
	if err != nil || n != len(certs) || all.Len() != buf.Len() {
		t.Errorf("WriteCertificateFiles: %v, %d files, combined file of %d bytes, want %d", err, n, all.Len(), buf.Len())
	}
	if got := pdfText(t, writeTemp(t, "all.pdf", all.Bytes())); !slices.Equal(got, pages) {
		t.Errorf("the combined file of WriteCertificateFiles reads\n%q\nwant\n%q", got, pages)
	}
	if err := WriteCertificates(&one, c, b, nil, testPaper); err == nil {
		t.Error("WriteCertificates of no certificate: no error")
	}
	if CertificateFileName(certs[0]) != "sertifikat-001-angkatan-1-BLK-JBR-2025.pdf" {
		t.Errorf("CertificateFileName = %q", CertificateFileName(certs[0]))
	}
}

// Ensure that the attendance sheet has a page per session day with every
// name, the date and the marks of the roll call, wraps a long name inside
// its column and renders on every page.
func TestWriteAttendanceList(t *testing.T) {
	needPoppler(t)
	c, b := paperCourse()
	b.Days = 3
	var people []store.Participant
	for i, n := range []string{"Siti Aminah", longName, "Nguyễn Thị Ánh Tuyết", "Budi"} {
		people = append(people, store.Participant{UserID: int64(i + 1), Batch: b.ID, Status: store.StatusRegistered, Seat: i + 1, Answers: map[string]string{"name": n}})
	}
	marks := map[int64]map[int]bool{1: {1: true, 2: true}, 2: {1: true, 2: false}, 4: {3: true}}
	var buf bytes.Buffer
	if err := WriteAttendanceList(&buf, c, b, people, marks, testPaper, b.Day(1)); err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, "daftar-hadir.pdf", buf.Bytes())
	if n := pdfPages(t, path); n != 3 {
		t.Fatalf("%d pages for 3 days of 4 people", n)
	}
	pages := pdfText(t, path)
	present := []int{2, 1, 1}
	for day, text := range pages {
		for _, want := range []string{
			"DAFTAR HADIR PESERTA", c.Title, b.Name, c.Venue, c.Organiser,
			"Hari ke-" + strconv.Itoa(day+1) + " dari 3", rm(b.Day(day + 1)), "08:00–15:00",
			"Siti Aminah", longName, "Nguyễn Thị Ánh Tuyết", "Budi", testPaper.Signatory, "Halaman " + strconv.Itoa(day+1) + " dari 3",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("day %d lacks %q:\n%s", day+1, want, text)
			}
		}
		if n := strings.Count(text, " hadir"); n != present[day] {
			t.Errorf("day %d: %d marked present, want %d:\n%s", day+1, n, present[day], text)
		}
	}
	nameLeft, nameRight := (15+11)*mmPt, (15+11+74)*mmPt
	for i, words := range pdfWords(t, path) {
		for _, w := range words {
			if strings.ContainsAny(w.Text, "ÇÉë'") && (w.XMin < nameLeft || w.XMax > nameRight) {
				t.Errorf("page %d: %q of the long name at x %.0f–%.0f is outside its column", i+1, w.Text, w.XMin, w.XMax)
			}
		}
	}

	// Before the course: the same sheet without a mark.
	buf.Reset()
	if err := WriteAttendanceList(&buf, c, b, people, nil, testPaper, b.Day(1)); err != nil {
		t.Fatal(err)
	}
	for day, text := range pdfText(t, writeTemp(t, "empty.pdf", buf.Bytes())) {
		if strings.Contains(text, " hadir") {
			t.Errorf("empty sheet marks somebody on day %d", day+1)
		}
	}
}

func rm(d time.Time) string { return TextsOf("id").Date(d) }

// Ensure that the sheet of 100 people runs over pages without losing or
// repeating anyone.
func TestWriteAttendanceList_Pages(t *testing.T) {
	needPoppler(t)
	c, b := paperCourse()
	b.Days = 1
	people := seatHolders(b, 100)
	var buf bytes.Buffer
	if err := WriteAttendanceList(&buf, c, b, people, nil, testPaper, b.Day(1)); err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, "100.pdf", buf.Bytes())
	if n := pdfPages(t, path); n < 4 {
		t.Fatalf("100 people on %d pages", n)
	}
	all := strings.Join(pdfText(t, path), " ")
	for i := range people {
		name := c.DisplayName(people[i]) + " "
		if n := strings.Count(all, name); n != 1 {
			t.Errorf("%q appears %d times", name, n)
		}
	}
}

func seatHolders(b store.Batch, n int) []store.Participant {
	people := make([]store.Participant, n)
	for i := range people {
		people[i] = store.Participant{
			UserID: int64(i + 1), Batch: b.ID, Status: store.StatusRegistered, Seat: i + 1,
			Answers: map[string]string{"name": "Peserta Nomor " + strconv.Itoa(i+1) + " Wulandari"},
		}
	}
	return people
}

// Ensure that hours are counted from the session times and written with
// the language's decimal mark.
func TestSessionHours(t *testing.T) {
	_, b := paperCourse()
	if got := sessionHours(b, "id"); got != "49" {
		t.Errorf("7 days 08:00–15:00: %q hours", got)
	}
	b.Days, b.DailyEnd = 3, "12:30"
	if got := sessionHours(b, "id"); got != "13,5" {
		t.Errorf("3 days 08:00–12:30 in Indonesian: %q", got)
	}
	if got := sessionHours(b, "en"); got != "13.5" {
		t.Errorf("3 days 08:00–12:30 in English: %q", got)
	}
}

// The README's pictures of a certificate and an attendance sheet page
// come from here: DAFTAR_DOCS=1 go test -run TestDocsImages ./report
// writes them to docs/ (pdftoppm, 60 dpi).
func TestDocsImages(t *testing.T) {
	if os.Getenv("DAFTAR_DOCS") == "" {
		t.Skip("set DAFTAR_DOCS=1 to write docs/certificate.png and docs/attendance-sheet.png")
	}
	needPoppler(t)
	c, b := paperCourse()
	p := testPaper
	logo, err := PrepareLogo(testLogo(t))
	if err != nil {
		t.Fatal(err)
	}
	p.Logo = logo
	certs := testCerts(b, "Siti Aminah Nur'aini")
	certs[0].Code = "7kq2m9xv4htd"
	var cert, sheet bytes.Buffer
	if err := WriteCertificates(&cert, c, b, certs, p); err != nil {
		t.Fatal(err)
	}
	people := []store.Participant{}
	for i, n := range []string{"Siti Aminah Nur'aini", "Dewi Lestari", "Raden Ajeng Çahyaningrum Élisabeth Sëtyowati Hadiningrat", "Budi Santoso", "Nurul Hidayah", "Agus Prasetyo"} {
		people = append(people, store.Participant{UserID: int64(i + 1), Batch: b.ID, Status: store.StatusRegistered, Seat: i + 1, Answers: map[string]string{"name": n}})
	}
	marks := map[int64]map[int]bool{1: {1: true}, 2: {1: true}, 3: {1: true}, 5: {1: true}, 6: {1: true}}
	if err := WriteAttendanceList(&sheet, c, b, people, marks, p, b.Day(1)); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"certificate": cert.Bytes(), "attendance-sheet": sheet.Bytes()} {
		pdf := writeTemp(t, name+".pdf", data)
		out := filepath.Join("..", "docs", name)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			t.Fatal(err)
		}
		if msg, err := exec.Command("pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "-png", pdf, out).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, msg)
		}
	}
}

// testLogo is a small PNG: a blue disc.
func testLogo(tb testing.TB) []byte {
	tb.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 120, 120))
	for y := range 120 {
		for x := range 120 {
			if dx, dy := x-60, y-60; dx*dx+dy*dy < 58*58 {
				img.Set(x, y, color.NRGBA{30, 60, 110, 255})
			}
			if dx, dy := x-60, y-60; dx*dx+dy*dy < 40*40 {
				img.Set(x, y, color.NRGBA{240, 190, 40, 255})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
