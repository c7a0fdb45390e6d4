package locale

import "testing"

// Ensure that no paperwork text is empty in any language and that the
// verbs agree.
func TestPaperMessages(t *testing.T) {
	for _, c := range languages.list[1:] {
		checkCatalogues(t, *languages.list[0].Paper, *c.Paper)
	}
}
