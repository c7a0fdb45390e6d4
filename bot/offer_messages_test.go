package bot

import "testing"

// Ensure that every language the bot speaks has the offer texts, none
// empty, with the same verbs as Indonesian's.
func TestOfferMessages(t *testing.T) {
	for _, code := range Languages() {
		m, ok := offerCatalogues[code]
		if !ok {
			t.Fatalf("no OfferMessages for %q", code)
		}
		checkCatalogues(t, offerMessagesID, *m)
	}
}
