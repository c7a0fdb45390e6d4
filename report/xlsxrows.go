package report

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/xuri/excelize/v2"

	"github.com/daftar-bot/daftar/store"
)

// The rows of the XLSX batch sheets go into the file while it is written.
//
// excelize's StreamWriter keeps a sheet's XML in memory until it reaches
// 16 MB (excelize.StreamChunkSize, a constant), and then keeps a 16 MB
// buffer: the sheet of 10,000 people (8 MB of XML) would be held whole,
// and the bot's peak would double with it. So the workbook's own stream
// writers write only each batch sheet's header; when excelize writes the
// file, rowSplicer puts the sheet's rows in before its </sheetData>, each
// chunk of xlsxChunkRows rows written by a StreamWriter of a scratch
// workbook with the same styles, whose XML goes straight into the zip
// entry. The cells are excelize's own; only a chunk's XML is ever held.

// xlsxChunkRows is how many rows a scratch workbook writes at a time:
// about 0.4 MB of XML.
const xlsxChunkRows = 500

// scratchSheet is the part of a new workbook's only sheet.
const scratchSheet = "xl/worksheets/sheet1.xml"

var (
	sheetDataStart = []byte("<sheetData>")
	sheetDataEnd   = []byte("</sheetData>")
)

// rowSplicer is the excelize.ZipWriter of an export: a zip writer that
// writes the parts excelize gives it and puts rows into the sheets that
// rows has a writer for, by part name.
type rowSplicer struct {
	zw   *zip.Writer
	rows map[string]func(io.Writer) error

	// The sheet part being written: excelize hands over its XML (the
	// header and the settings, a few kB) and the rows go in before
	// </sheetData> when the next part begins or the file ends.
	sheet []byte
	into  io.Writer
	write func(io.Writer) error
}

func newRowSplicer(w io.Writer, rows map[string]func(io.Writer) error) *rowSplicer {
	return &rowSplicer{zw: zip.NewWriter(w), rows: rows}
}

// Create begins the part name.
func (s *rowSplicer) Create(name string) (io.Writer, error) {
	if err := s.endSheet(); err != nil {
		return nil, err
	}
	w, err := s.zw.Create(name)
	if err != nil {
		return nil, err
	}
	write, ok := s.rows[name]
	if !ok {
		return w, nil
	}
	s.into, s.write, s.sheet = w, write, s.sheet[:0]
	return (*sheetBuffer)(s), nil
}

// AddFS adds the files of fsys.
func (s *rowSplicer) AddFS(fsys fs.FS) error {
	if err := s.endSheet(); err != nil {
		return err
	}
	return s.zw.AddFS(fsys)
}

// Close ends the last part and the zip file.
func (s *rowSplicer) Close() error {
	if err := s.endSheet(); err != nil {
		return err
	}
	return s.zw.Close()
}

// endSheet writes the sheet part being written, with its rows.
func (s *rowSplicer) endSheet() error {
	if s.write == nil {
		return nil
	}
	write := s.write
	s.write = nil
	end := bytes.LastIndex(s.sheet, sheetDataEnd)
	if end < 0 {
		return errors.New("xlsx: a batch sheet without sheetData")
	}
	if _, err := s.into.Write(s.sheet[:end]); err != nil {
		return err
	}
	if err := write(s.into); err != nil {
		return err
	}
	_, err := s.into.Write(s.sheet[end:])
	return err
}

// sheetBuffer collects the XML of the sheet part a rowSplicer is writing.
type sheetBuffer rowSplicer

func (b *sheetBuffer) Write(p []byte) (int, error) {
	b.sheet = append(b.sheet, p...)
	return len(p), nil
}

// writeRows writes the rows of xb's sheet to w, row 2 on: its
// participants in d.
func (x *xlsxExport) writeRows(w io.Writer, xb *xlsxBatch, d *Dataset) error {
	var chunk *scratchRows
	row := 1
	err := d.Each(xb.ID, func(p store.Participant) error {
		if chunk == nil {
			var err error
			if chunk, err = x.newScratchRows(); err != nil {
				return err
			}
		}
		row++
		if err := chunk.add(row, x.fillRow(p, x.sheet.Row(p))); err != nil {
			return err
		}
		if chunk.n < xlsxChunkRows {
			return nil
		}
		err := chunk.writeTo(w)
		chunk = nil
		return err
	})
	if err == nil && chunk != nil {
		err = chunk.writeTo(w)
	}
	if err != nil {
		return fmt.Errorf("xlsx sheet %s: %w", xb.ID, err)
	}
	return nil
}

// scratchRows is a scratch workbook whose StreamWriter writes a chunk of
// an export's rows.
type scratchRows struct {
	f  *excelize.File
	sw *excelize.StreamWriter
	n  int // rows added
}

func (x *xlsxExport) newScratchRows() (*scratchRows, error) {
	f := excelize.NewFile()
	// The cells name their styles by number: the scratch workbook must
	// number them as the export does.
	st, err := newXLSXStyles(f)
	if err == nil && st != x.st {
		err = fmt.Errorf("scratch workbook styles %+v, want %+v", st, x.st)
	}
	var sw *excelize.StreamWriter
	if err == nil {
		sw, err = f.NewStreamWriter("Sheet1")
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &scratchRows{f: f, sw: sw}, nil
}

// add writes cells as row number row.
func (s *scratchRows) add(row int, cells []any) error {
	ref, err := excelize.CoordinatesToCellName(1, row)
	if err != nil {
		return err
	}
	s.n++
	return s.sw.SetRow(ref, cells)
}

// writeTo writes the rows' XML to w and releases the scratch workbook.
func (s *scratchRows) writeTo(w io.Writer) error {
	defer s.f.Close()
	if err := s.sw.Flush(); err != nil {
		return err
	}
	cut := &rowCutter{w: w}
	s.f.ZipWriter = func(io.Writer) excelize.ZipWriter { return cut }
	if _, err := s.f.WriteTo(io.Discard); err != nil {
		return err
	}
	if cut.err != nil {
		return cut.err
	}
	if cut.state != cutAfter {
		return errors.New("scratch sheet without sheetData")
	}
	return nil
}

// rowCutter is the excelize.ZipWriter of a scratch workbook: it writes
// what the sheet part holds between <sheetData> and </sheetData> to w as
// it comes, and drops everything else. Cell text is escaped XML, so the
// first </sheetData> after <sheetData> is the end of the rows.
type rowCutter struct {
	w     io.Writer
	state int    // cutBefore, cutRows, cutAfter
	pend  []byte // before: the part so far; rows: a tail that may begin </sheetData>
	err   error
}

const (
	cutBefore = iota
	cutRows
	cutAfter
)

func (c *rowCutter) Create(name string) (io.Writer, error) {
	if name == scratchSheet {
		return c, nil
	}
	return io.Discard, nil
}

func (c *rowCutter) Write(p []byte) (int, error) {
	n := len(p)
	if c.state == cutBefore {
		// The part's head is a few hundred bytes: gather it.
		c.pend = append(c.pend, p...)
		i := bytes.Index(c.pend, sheetDataStart)
		if i < 0 {
			return n, nil
		}
		p, c.pend, c.state = c.pend[i+len(sheetDataStart):], nil, cutRows
	}
	if c.state == cutRows && c.err == nil {
		c.err = c.rows(p)
	}
	return n, c.err
}

// rows writes p, rows' XML, up to </sheetData>, holding back the last
// bytes, which may begin it.
func (c *rowCutter) rows(p []byte) error {
	keep := len(sheetDataEnd) - 1
	if len(p) < keep {
		// A short write: join it to the tail held back (both small).
		p, c.pend = append(c.pend, p...), nil
	}
	if len(c.pend) > 0 {
		joint := append(c.pend[:len(c.pend):len(c.pend)], p[:keep]...)
		if j := bytes.Index(joint, sheetDataEnd); j >= 0 {
			c.state = cutAfter
			_, err := c.w.Write(joint[:j])
			return err
		}
		if _, err := c.w.Write(c.pend); err != nil {
			return err
		}
		c.pend = nil
	}
	if j := bytes.Index(p, sheetDataEnd); j >= 0 {
		c.state = cutAfter
		_, err := c.w.Write(p[:j])
		return err
	}
	cut := max(0, len(p)-keep)
	c.pend = bytes.Clone(p[cut:])
	_, err := c.w.Write(p[:cut])
	return err
}

func (c *rowCutter) AddFS(fs.FS) error { return nil }
func (c *rowCutter) Close() error      { return nil }
