package report

import (
	"slices"
	"testing"
)

func BenchmarkZZExport(b *testing.B) {
	db, c := mustOpen(b), reportCourse(b)
	c.Batches[0].Capacity = 10000
	ps, marks := manyPeople(c, 10000)
	for chunk := range slices.Chunk(ps, 1000) {
		seatReport(b, db, chunk, nil)
	}
	seatReport(b, db, nil, marks)
	for b.Loop() {
		if _, _, err := Export(db, c, "", reportNow); err != nil {
			b.Fatal(err)
		}
	}
}
