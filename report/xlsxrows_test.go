package report

import (
	"bytes"
	"testing"
)

// Ensure that a rowCutter writes what lies between <sheetData> and the
// first </sheetData>, however the part is cut into writes.
func TestRowCutter(t *testing.T) {
	part := `<?xml version="1.0"?><worksheet><sheetPr/><sheetData><row r="2"><c r="A2" t="inlineStr"><is><t>a &lt;/sheetData&gt; b</t></is></c></row><row r="3"></row></sheetData><pageMargins/></worksheet>`
	want := `<row r="2"><c r="A2" t="inlineStr"><is><t>a &lt;/sheetData&gt; b</t></is></c></row><row r="3"></row>`
	for size := 1; size <= len(part); size++ {
		var out bytes.Buffer
		c := &rowCutter{w: &out}
		for i := 0; i < len(part); i += size {
			if n, err := c.Write([]byte(part[i:min(i+size, len(part))])); err != nil || n != min(size, len(part)-i) {
				t.Fatalf("writes of %d: Write = %d, %v", size, n, err)
			}
		}
		if c.state != cutAfter || out.String() != want {
			t.Fatalf("writes of %d: state %d, rows %q, want %q", size, c.state, out.String(), want)
		}
	}
}
