package locale

import "testing"

// Ensure that every language the bot speaks has the offer texts, none
// empty, with the same verbs as Indonesian's.
func TestOfferMessages(t *testing.T) {
	for _, code := range Codes() {
		m := For(code).Offer
		if m == nil {
			t.Fatalf("no OfferMessages for %q", code)
		}
		checkCatalogues(t, offerMessagesID, *m)
	}
}
