package locale

import (
	"reflect"
	"testing"
)

// Ensure that without a batch word every catalogue is the language's own,
// text for text, and that a word reaches every language in the form each
// place needs.
func TestCatalogueFor(t *testing.T) {
	for _, code := range Codes() {
		if Worded(code, "") != For(code) {
			t.Errorf("%s: no word gives another catalogue", code)
		}
	}
	for _, tc := range []struct {
		got, want any
	}{
		{messagesIDFor(wordID("")), messagesID},
		{messagesENFor(wordEN("")), messagesEN},
		{organiserMessagesIDFor(wordID("")), organiserMessagesID},
		{organiserMessagesENFor(wordEN("")), organiserMessagesEN},
		{paperMessagesIDFor(wordID("")), paperMessagesID},
		{paperMessagesENFor(wordEN("")), paperMessagesEN},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("the default word changes %T", tc.want)
		}
	}
	if messagesID.ChooseBatch != "Pilih angkatan yang ingin Anda ikuti:" || organiserMessagesEN.AllBatches != "all batches" || messagesEN.SummaryBatch != "Batch" {
		t.Errorf("default words: %q %q %q", messagesID.ChooseBatch, organiserMessagesEN.AllBatches, messagesEN.SummaryBatch)
	}

	en := Worded("en", "Gelombang")
	id := Worded("id", "Gelombang")
	for _, c := range []struct{ got, want string }{
		{en.Messages.ChooseBatch, "Choose the gelombang you want to join:"},
		{en.Messages.SummaryBatch, "Gelombang"},
		{en.Organiser.AllBatches, "all gelombangs"},
		{en.Paper.CertAskBatch, "Certificates of which gelombang? Send <code>/certificate ID</code>, the ID one of: %s"},
		{id.Messages.SummaryBatch, "Gelombang"},
		{id.Organiser.AllBatches, "semua gelombang"},
		{id.Paper.VerifyFound, "✅ <b>Sertifikat asli.</b>\nNomor: %s\nNama: %s\nPelatihan: %s\nGelombang: %s (%s)"},
		{Worded("id", "kelas PKL").Messages.ChooseBatch, "Pilih kelas PKL yang ingin Anda ikuti:"},
		{Worded("id", "kelas PKL").Messages.SummaryBatch, "Kelas PKL"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if Worded("id", "Gelombang") != id || id.Messages == For("id").Messages {
		t.Error("a word's catalogue is not built once")
	}
	if id.Messages.Lang != "id" || en.Organiser.Lang != "en" || en.Code != "en" {
		t.Errorf("a word's catalogue changed language: %q %q %q", id.Messages.Lang, en.Organiser.Lang, en.Code)
	}
}
