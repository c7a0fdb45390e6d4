package report

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"runtime"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/daftar-bot/daftar/store"
)

// A4 landscape, in millimetres.
const (
	certW, certH = 297.0, 210.0
	certMargin   = 12.0
	certText     = certW - 2*certMargin - 24 // the width of the centred lines
)

// WriteCertificates writes the certificates certs of batch b of course c
// as one PDF, one A4 landscape page each, in the course language: the
// participant's name as issued, the course, the batch and its dates, the
// days and hours, organiser and venue, the number, the signatory, the
// logo when there is one, and a QR code with the verification link. One
// certificate makes a participant's own file; all of a batch's make the
// organisers' file for printing.
func WriteCertificates(w io.Writer, c store.Course, b store.Batch, certs []store.Certificate, p Paper) error {
	return writeCertificates(w, c, b, certs, p, nil)
}

// writeCertificates is WriteCertificates with the QR codes already drawn
// by code (nil for none), which it adds to.
func writeCertificates(w io.Writer, c store.Course, b store.Batch, certs []store.Certificate, p Paper, qrs map[string][]byte) error {
	d, err := newCertDoc(c, b, certs, p)
	if err != nil {
		return err
	}
	for _, cert := range certs {
		qr, err := d.page(cert, qrs[cert.Code])
		if err != nil {
			return err
		}
		if qrs != nil {
			qrs[cert.Code] = qr
		}
	}
	return output(d.f, w)
}

// certDoc is a PDF of certificates of one batch, made a page at a time.
type certDoc struct {
	f   *doc
	rm  *Texts
	c   store.Course
	b   store.Batch
	p   Paper
	loc *time.Location
}

// newCertDoc returns the empty PDF of certs (of which it takes the
// latest issue time as the document's date).
func newCertDoc(c store.Course, b store.Batch, certs []store.Certificate, p Paper) (*certDoc, error) {
	if len(certs) == 0 {
		return nil, fmt.Errorf("report: certificates of %s: none issued", b.ID)
	}
	rm := TextsOf(c.Language)
	at := certs[0].IssuedAt
	for _, cert := range certs {
		if cert.IssuedAt.After(at) {
			at = cert.IssuedAt
		}
	}
	f := newPDF("L", rm.CertTitle+" "+c.Title, at, [2]string{fontSerif, ""})
	if p.Logo != nil {
		f.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(p.Logo))
	}
	return &certDoc{f: f, rm: rm, c: c, b: b, p: p, loc: location(c)}, nil
}

// page adds cert's page, with qr as its QR code when not nil, and
// returns the QR code's image.
func (d *certDoc) page(cert store.Certificate, qr []byte) ([]byte, error) {
	if cert.Batch != d.b.ID {
		return nil, fmt.Errorf("report: certificate %s is of batch %s, not %s", cert.Number, cert.Batch, d.b.ID)
	}
	return certificatePage(d.f, d.rm, d.c, d.b, cert, d.p, d.loc, qr)
}

// WriteCertificateFiles makes each certificate of certs a PDF of its own
// (WriteCertificates of that one) and calls each with it, in the order of
// certs; then, when all is not nil, writes the PDF of all of them there.
// The PDFs are made on every CPU at once, a few ahead of each; an error
// of each or of a PDF stops it and is returned.
// certificateMemoryLimit is the Go heap's soft limit while certificates
// are made (the target for 1,000 of them is 100 MB resident, the binary
// and the database's mapped pages included).
const certificateMemoryLimit = 72 << 20

func WriteCertificateFiles(c store.Course, b store.Batch, certs []store.Certificate, p Paper, each func(store.Certificate, []byte) error, all io.Writer) error {
	// A batch's certificates allocate far more than stays live (each
	// document's fonts and pages, a fallback font's parsed tables for a name
	// in another script). A soft memory limit makes the collector work
	// harder only when the heap nears it, so a Latin batch costs nothing
	// more and one with names in many scripts stays near the limit instead
	// of doubling its live fonts.
	defer setMemoryLimit(certificateMemoryLimit)()
	type result struct {
		data []byte
		qr   []byte
		err  error
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	results := make([]chan result, len(certs))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	stop := make(chan struct{})
	defer close(stop)
	// At most 2 × workers PDFs are made or wait for fn, so that memory
	// stays bounded; the slots are taken in the order of certs, so the
	// one fn waits for always has one.
	ahead := make(chan struct{}, 2*workers)
	next := make(chan int)
	go func() {
		defer close(next)
		for i := range certs {
			select {
			case ahead <- struct{}{}:
			case <-stop:
				return
			}
			select {
			case next <- i:
			case <-stop:
				return
			}
		}
	}()
	for range workers {
		go func() {
			for i := range next {
				var buf bytes.Buffer
				qrs := map[string][]byte{}
				err := writeCertificates(&buf, c, b, certs[i:i+1], p, qrs)
				results[i] <- result{buf.Bytes(), qrs[certs[i].Code], err}
			}
		}()
	}
	// The combined file is drawn here while the workers make the next
	// files, each page with the QR code its own file drew.
	var combined *certDoc
	if all != nil {
		var err error
		if combined, err = newCertDoc(c, b, certs, p); err != nil {
			return err
		}
	}
	for i, cert := range certs {
		r := <-results[i]
		<-ahead
		if r.err != nil {
			return r.err
		}
		if err := each(cert, r.data); err != nil {
			return err
		}
		if combined != nil {
			if _, err := combined.page(cert, r.qr); err != nil {
				return err
			}
		}
	}
	if combined == nil {
		return nil
	}
	return output(combined.f, all)
}

// CertificatesFileName is the name of the PDF with every certificate of
// batch, for printing.
func CertificatesFileName(batch string) string { return "sertifikat-" + batch + "-semua.pdf" }

// CertificateFileName is the name of a certificate's PDF: its number
// with what file systems refuse replaced ("sertifikat-001-angkatan-1-….pdf").
func CertificateFileName(cert store.Certificate) string {
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			return r
		}
		return '-'
	}, cert.Number)
	return "sertifikat-" + strings.Trim(clean, "-.") + ".pdf"
}

// certificatePage draws cert's page, with qr as its QR code when not nil,
// and returns the QR code's image.
func certificatePage(f *doc, rm *Texts, c store.Course, b store.Batch, cert store.Certificate, p Paper, loc *time.Location, qr []byte) ([]byte, error) {
	f.AddPage()
	// Frame: a thick and a thin line.
	f.SetDrawColor(30, 60, 110)
	f.SetLineWidth(1.6)
	f.Rect(certMargin-4, certMargin-4, certW-2*certMargin+8, certH-2*certMargin+8, "D")
	f.SetLineWidth(0.4)
	f.Rect(certMargin, certMargin, certW-2*certMargin, certH-2*certMargin, "D")

	y := certMargin + 8
	if p.Logo != nil {
		const h = 22.0
		info := f.GetImageInfo("logo")
		w := h * info.Width() / info.Height()
		f.ImageOptions("logo", (certW-w)/2, y, w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
		y += h + 3
	} else {
		y += 8
	}
	f.SetTextColor(30, 60, 110)
	centre(f, fontSerif, "B", 36, y, rm.CertTitle)
	y += 15
	f.SetTextColor(40, 40, 40)
	centre(f, fontSerif, "", 12, y, fmt.Sprintf(rm.CertNumber, cert.Number))
	y += 11
	centre(f, fontSerif, "", 13, y, rm.CertGivenTo)
	y += 8

	// The name: as large as fits one line, down to 18 pt; longer names
	// wrap onto two or three lines at that size.
	f.SetTextColor(0, 0, 0)
	size := fitFont(f, fontSerif, "B", 30, 18, certText, cert.Name)
	lineH := size * 0.3528 * 1.15
	lines := wrap(f, cert.Name, certText)
	for _, l := range lines {
		centre(f, fontSerif, "B", size, y, l)
		y += lineH
	}
	f.SetDrawColor(30, 60, 110)
	f.SetLineWidth(0.3)
	f.Line(certW/2-70, y+1, certW/2+70, y+1)
	y += 6

	f.SetTextColor(40, 40, 40)
	centre(f, fontSerif, "", 13, y, rm.CertFor)
	y += 8
	title := c.Title
	tsize := fitFont(f, fontSerif, "B", 19, 11, certText, title)
	for _, l := range wrap(f, title, certText) {
		centre(f, fontSerif, "B", tsize, y, l)
		y += tsize * 0.3528 * 1.2
	}
	y += 1
	dates := rm.DateRange(b.Day(1).In(loc), b.End().In(loc))
	centre(f, fontSerif, "", 12, y, fmt.Sprintf(rm.CertBatch, b.Name, dates))
	y += 6
	setFont(f, fontSerif, "", 11)
	for _, l := range wrap(f, fmt.Sprintf(rm.CertDetail, c.Organiser, c.Venue, b.Days, sessionHours(b, rm.Lang)), certText) {
		centre(f, fontSerif, "", 11, y, l)
		y += 5
	}

	// The signature, bottom right.
	const sigW = 95.0
	sx, sy := certW-certMargin-10-sigW, certH-certMargin-46
	place := rm.Date(b.End().In(loc))
	if p.City != "" {
		place = fmt.Sprintf(rm.CertPlaceDate, p.City, place)
	}
	centreIn(f, sx, sigW, sy, 5, place, fontSerif, "", 11)
	centreIn(f, sx, sigW, sy+5, 5, p.SignatoryTitle, fontSerif, "", 11)
	if p.Signatory != "" {
		n := centreIn(f, sx, sigW, sy+30, 5, p.Signatory, fontSerif, "B", 12)
		f.SetLineWidth(0.3)
		f.Line(sx+10, sy+30+5*float64(n), sx+sigW-10, sy+30+5*float64(n))
	}

	// The QR code and the code, bottom left.
	const qrSize = 28.0
	qx, qy := certMargin+10, certH-certMargin-qrSize-8
	qr, err := drawQR(f, VerifyLink(p.Bot, cert.Code), qx, qy, qrSize, qr)
	if err != nil {
		return nil, err
	}
	f.SetTextColor(70, 70, 70)
	tx := qx + qrSize + 4
	textBox(f, tx, qy+2, sx-tx-6, 4, fmt.Sprintf(rm.CertVerify, cert.Code, p.Bot), fontSerif, "", 8)
	textBox(f, tx, qy+qrSize-6, sx-tx-6, 4, fmt.Sprintf(rm.CertCode, cert.Code), fontSerif, "B", 9.5)
	return qr, nil
}

// centre writes one line of text centred on the page with its top at y.
func centre(f *doc, family, style string, size, y float64, text string) {
	setFont(f, family, style, size)
	w := f.GetStringWidth(text)
	f.Text((certW-w)/2, y+size*0.3528*0.8, text)
}

// textBox writes text left-aligned in a box width wide from (x, y), lines
// lineH apart, wrapping it; it returns the number of lines.
func textBox(f *doc, x, y, width, lineH float64, text, family, style string, size float64) int {
	setFont(f, family, style, size)
	lines := wrap(f, text, width)
	for i, l := range lines {
		f.Text(x, y+float64(i)*lineH+size*0.3528*0.8, l)
	}
	return len(lines)
}

// centreIn writes text centred in a box width wide from (x, y), lines
// lineH apart, wrapping it; it returns the number of lines.
func centreIn(f *doc, x, width, y, lineH float64, text, family, style string, size float64) int {
	setFont(f, family, style, size)
	lines := wrap(f, text, width)
	for i, l := range lines {
		f.Text(x+(width-f.GetStringWidth(l))/2, y+float64(i)*lineH+size*0.3528*0.8, l)
	}
	return len(lines)
}

// drawQR draws the QR code of text, size millimetres wide with its top
// left corner at (x, y), as a two-colour image of 4 pixels per module:
// it prints sharp at any size and costs a page a few hundred bytes, where
// a square per module would cost ten thousand.
// data, when not nil, is the image drawQR made of text before; it
// returns the image it drew.
func drawQR(f *doc, text string, x, y, size float64, data []byte) ([]byte, error) {
	if data == nil {
		q, err := qrcode.New(text, qrcode.Medium)
		if err != nil {
			return nil, fmt.Errorf("report: qr code: %w", err)
		}
		q.DisableBorder = true
		if data, err = qrPNG(q.Bitmap(), 4); err != nil {
			return nil, fmt.Errorf("report: qr code: %w", err)
		}
	}
	name := "qr-" + text
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	f.RegisterImageOptionsReader(name, opt, bytes.NewReader(data))
	f.ImageOptions(name, x, y, size, size, false, opt, 0, "")
	return data, nil
}

// qrPNG draws bits (true is dark) with px pixels per module as a
// two-colour PNG, black on white.
func qrPNG(bits [][]bool, px int) ([]byte, error) {
	n := len(bits) * px
	img := image.NewPaletted(image.Rect(0, 0, n, n), color.Palette{color.White, color.Black})
	for r, row := range bits {
		for col, dark := range row {
			if !dark {
				continue
			}
			for y := r * px; y < (r+1)*px; y++ {
				line := img.Pix[y*img.Stride:]
				for x := col * px; x < (col+1)*px; x++ {
					line[x] = 1
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
