package locale

import (
	"fmt"

	"github.com/daftar-bot/daftar/store"
)

// Named is how batch bt is named in m's language, to a participant or an
// organiser: its name, with its course's title before it when cat serves
// several courses.
func (m *Messages) Named(cat store.Catalog, bt store.Batch) string {
	if c, ok := cat.CourseOf(bt.ID); ok && !cat.Single() {
		return fmt.Sprintf(m.CourseBatch, c.Title, bt.Name)
	}
	return bt.Name
}
