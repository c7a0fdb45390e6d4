package locale

import (
	"reflect"
	"testing"
)

// Ensure that no organiser message is empty in any language and that both
// languages use the same format verbs in the same order.
func TestOrganiserMessages(t *testing.T) {
	for _, c := range languages.list[1:] {
		checkCatalogues(t, *languages.list[0].Organiser, *c.Organiser)
	}
	if For("en").Organiser.Lang != "en" || For("xx").Organiser.Lang != "id" {
		t.Error("organiserMessages picks the wrong catalogue")
	}
}

// Ensure that the announcement buttons scripts press have the labels
// issue 5 promises.
func TestOrganiserMessages_ButtonLabels(t *testing.T) {
	want := map[string][2]string{
		"BtnAudienceAll":      {"Semua peserta (%d)", "All participants (%d)"},
		"BtnAudienceWaiting":  {"Daftar tunggu (%d)", "Waiting list (%d)"},
		"BtnAudienceEveryone": {"Semua yang pernah mendaftar (%d)", "Everyone who started (%d)"},
		"BtnCount":            {"%s (%d)", "%s (%d)"},
		"BtnSend":             {"Kirim", "Send"},
		"BtnCancel":           {"Batal", "Cancel"},
	}
	for field, labels := range want {
		id := reflect.ValueOf(organiserMessagesID).FieldByName(field).String()
		en := reflect.ValueOf(organiserMessagesEN).FieldByName(field).String()
		if id != labels[0] || en != labels[1] {
			t.Errorf("%s = %q / %q, want %q / %q", field, id, en, labels[0], labels[1])
		}
	}
}
