package locale

var offerMessagesEN = OfferMessages{
	AcceptClosed: "Sorry, registration for <b>%s</b> has been closed by the organisers, so this seat offer can no longer be accepted. You stay on the waiting list (number %d); if registration opens again, a free seat is offered to you first.",
	Withdrawn:    "Registration for <b>%s</b> was closed by the organisers, so the seat offered to you is withdrawn. You stay on the waiting list; if registration opens again, you get an offer again.",
	CloseOffers:  "\n⚠️ %d people are being offered a free seat. While registration is closed no seat is handed out: those offers are withdrawn, the people stay on the waiting list and get an offer again if it opens again.",
	ClosedOffers: "\n%d seat offers withdrawn; those people stay on the waiting list and have been told.",
	OpenedOffers: "\n%d free seats offered to the waiting list.",
}
