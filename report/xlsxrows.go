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

// writeRows writes the rows of xb's sheet to w, row 2 on, the participants
// being ps.
func (x *xlsxExport) writeRows(w io.Writer, xb *xlsxBatch, ps []store.Participant) error {
	for from := 0; from < len(xb.members); from += xlsxChunkRows {
		chunk := xb.members[from:min(from+xlsxChunkRows, len(xb.members))]
		if err := x.writeChunk(w, chunk, 2+from, ps); err != nil {
			return fmt.Errorf("xlsx sheet %s: %w", xb.ID, err)
		}
	}
	return nil
}

// writeChunk writes the rows of the participants members (indexes into
// ps) to w, the first as row first, by a scratch workbook's
// StreamWriter.
func (x *xlsxExport) writeChunk(w io.Writer, members []int, first int, ps []store.Participant) error {
	f := excelize.NewFile()
	defer f.Close()
	// The cells name their styles by number: the scratch workbook must
	// number them as the export does.
	if st, err := newXLSXStyles(f); err != nil {
		return err
	} else if st != x.st {
		return fmt.Errorf("scratch workbook styles %+v, want %+v", st, x.st)
	}
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	for i, m := range members {
		ref, err := excelize.CoordinatesToCellName(1, first+i)
		if err != nil {
			return err
		}
		p := ps[m]
		if err := sw.SetRow(ref, x.fillRow(p, x.sheet.Row(p))); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	cut := &rowCutter{}
	f.ZipWriter = func(io.Writer) excelize.ZipWriter { return cut }
	if _, err := f.WriteTo(io.Discard); err != nil {
		return err
	}
	start, end := bytes.Index(cut.sheet, sheetDataStart), bytes.LastIndex(cut.sheet, sheetDataEnd)
	if start < 0 || end < start {
		return errors.New("scratch sheet without sheetData")
	}
	_, err = w.Write(cut.sheet[start+len(sheetDataStart) : end])
	return err
}

// rowCutter is the excelize.ZipWriter of a scratch workbook: it keeps
// the XML of the sheet and drops every other part.
type rowCutter struct{ sheet []byte }

func (c *rowCutter) Create(name string) (io.Writer, error) {
	if name == scratchSheet {
		return c, nil
	}
	return io.Discard, nil
}

func (c *rowCutter) Write(p []byte) (int, error) {
	c.sheet = append(c.sheet, p...)
	return len(p), nil
}

func (c *rowCutter) AddFS(fs.FS) error { return nil }
func (c *rowCutter) Close() error      { return nil }
