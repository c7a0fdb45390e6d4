// Package report turns what the store holds into files and figures for
// people: the participant export (CSV for scripts, XLSX for people), the
// organisers' statistics with their chart, the printed paperwork (the
// certificates and the attendance sheet, PDF), and the texts these speak
// in.
//
// It reads the database and writes bytes; it never talks to Telegram and
// never changes the database. The invariants:
//
//   - Every report is made from one read transaction: Load (the export's
//     Dataset, used by /ekspor, "daftar export" and any later report) or
//     the statistics' cheaper read of the same shape, so that its numbers
//     agree with each other. Load holds the roll calls and the order of
//     the participants, and reads the participants one at a time whenever
//     a writer walks them (Dataset.Each): an export of 10,000 people
//     holds none of them whole, nor a sheet's XML (xlsxrows.go).
//   - The export columns are a contract (Header): seat, batch, status, the
//     form fields by key, language, registered_at, then day_1 … day_N,
//     days_present, certificate, then telegram. Columns are only ever
//     appended, never renamed; the config refuses form keys that would
//     take one of the columns around the fields (ReservedKeys). The CSV and every XLSX batch sheet have the same
//     columns in the same order.
//   - Whether a participant earns the certificate is
//     store.Course.CertificateEligible, nowhere decided here.
//   - No answer is ever run as a formula: CSV cells a spreadsheet would
//     evaluate get an apostrophe, XLSX answers are text cells (phone and
//     NIK keep every digit), dates are dates.
//   - The PDFs embed their fonts (Liberation Sans and Serif: Latin with
//     every accent, Greek, Cyrillic); text in any other script, or right
//     to left, is shaped and drawn from the fallback fonts embedded in
//     the binary, with its text invisible over it (unitext.go), so any
//     name renders and reads back. They carry their metadata dated from
//     their data, not the clock, so the same input gives the same document,
//     and are made per batch from its course, the batch and its rows
//     (WriteCertificates, WriteAttendanceList): the caller reads the
//     store, and issues certificates there (store.Tx.IssueCertificates).
//   - Texts: one Texts struct per language (Catalogues, TextsOf), so a
//     missing text is a compile error.
//
// This is the only package that imports excelize, gonum/plot, the PDF
// library (codeberg.org/go-pdf/fpdf), the QR code library
// (github.com/skip2/go-qrcode), the shaper (github.com/go-text/typesetting)
// and the fonts.
package report
