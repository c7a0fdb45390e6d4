package locale

import "testing"

// Ensure that no intake text is empty in any language and that the verbs
// agree.
func TestIntakeMessages(t *testing.T) {
	for _, c := range languages.list[1:] {
		checkCatalogues(t, *languages.list[0].Intake, *c.Intake)
	}
}
