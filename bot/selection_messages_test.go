package bot

import "testing"

// Ensure that every language the bot speaks has the admission texts, none
// empty, with the verbs of the fallback's.
func TestSelectionMessages(t *testing.T) {
	for _, c := range languages.list {
		m, ok := selectionCatalogues[c.Code]
		if !ok {
			t.Errorf("no admission texts in %s", c.Code)
			continue
		}
		checkCatalogues(t, *selectionCatalogues[languages.list[0].Code], *m)
	}
}
