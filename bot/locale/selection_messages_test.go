package locale

import "testing"

// Ensure that every language the bot speaks has the admission texts, none
// empty, with the verbs of the fallback's.
func TestSelectionMessages(t *testing.T) {
	for _, c := range languages.list {
		m := c.Selection
		if m == nil {
			t.Errorf("no admission texts in %s", c.Code)
			continue
		}
		checkCatalogues(t, *languages.list[0].Selection, *m)
	}
}
