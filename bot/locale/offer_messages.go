package locale

// OfferMessages is what the bot says about seat offers when registration
// closes or opens again (store.SettleOffers): a closed batch hands out no
// seat, so /tutup withdraws the outstanding offers and their holders keep
// their waiting places. Texts are HTML; names are escaped before they go
// in. None names a batch by the generic word, so a course's batch_word
// needs no second version.
type OfferMessages struct {
	AcceptClosed string // batch name, waiting position: an offer pressed after /tutup
	Withdrawn    string // batch name: the notice to someone whose offer /tutup withdrew
	CloseOffers  string // outstanding offers: added to the /tutup confirmation
	ClosedOffers string // offers withdrawn: added to "registration closed"
	OpenedOffers string // offers made: added to "registration opened"
}
