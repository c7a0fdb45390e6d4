package locale

import (
	"reflect"
	"regexp"
	"testing"
)

// Ensure that no message is empty in any language and that both
// languages use the same format verbs in the same order, so Sprintf never
// prints %!d(MISSING).
func TestMessages(t *testing.T) {
	for _, c := range languages.list[1:] {
		checkCatalogues(t, *languages.list[0].Messages, *c.Messages)
	}
}

// checkCatalogues checks two catalogues of one struct type (Indonesian,
// another language): every string, string array and map of strings filled
// in both, with the same keys, and the same format verbs in the same order.
func checkCatalogues(t *testing.T, idCat, enCat any) {
	t.Helper()
	verbs := regexp.MustCompile(`%[-+# 0]*[0-9]*[a-z]`)
	id, en := reflect.ValueOf(idCat), reflect.ValueOf(enCat)
	for i := 0; i < id.NumField(); i++ {
		name := id.Type().Field(i).Name
		a, b := id.Field(i), en.Field(i)
		switch a.Kind() {
		case reflect.String:
			if a.String() == "" || b.String() == "" {
				t.Errorf("%s is empty in one language", name)
			}
			va, vb := verbs.FindAllString(a.String(), -1), verbs.FindAllString(b.String(), -1)
			if !reflect.DeepEqual(va, vb) {
				t.Errorf("%s: verbs differ: id %v, en %v", name, va, vb)
			}
		case reflect.Array:
			for j := 0; j < a.Len(); j++ {
				if a.Index(j).String() == "" || b.Index(j).String() == "" {
					t.Errorf("%s[%d] is empty", name, j)
				}
			}
		case reflect.Map:
			if a.Len() != b.Len() {
				t.Errorf("%s: %d texts in one language, %d in the other", name, a.Len(), b.Len())
			}
			for _, k := range a.MapKeys() {
				ta, tb := a.MapIndex(k), b.MapIndex(k)
				if !tb.IsValid() || ta.String() == "" || tb.String() == "" {
					t.Errorf("%s[%v] is empty in one language", name, k)
					continue
				}
				va, vb := verbs.FindAllString(ta.String(), -1), verbs.FindAllString(tb.String(), -1)
				if !reflect.DeepEqual(va, vb) {
					t.Errorf("%s[%v]: verbs differ: id %v, en %v", name, k, va, vb)
				}
			}
		}
	}
}

// Ensure that the button labels are the ones scripts press: they are a
// contract, so a change here breaks them.
func TestMessages_ButtonLabels(t *testing.T) {
	want := map[string][2]string{
		"BtnRegister":     {"Daftar", "Register"},
		"BtnAgree":        {"Setuju", "I agree"},
		"BtnDisagree":     {"Tidak setuju", "I do not agree"},
		"BtnConfirm":      {"Konfirmasi", "Confirm"},
		"BtnEdit":         {"Ubah", "Edit"},
		"BtnBack":         {"Kembali", "Back"},
		"BtnCancel":       {"Batal", "Cancel"},
		"BtnShareContact": {"Bagikan kontak", "Share contact"},
	}
	for field, labels := range want {
		id := reflect.ValueOf(messagesID).FieldByName(field).String()
		en := reflect.ValueOf(messagesEN).FieldByName(field).String()
		if id != labels[0] || en != labels[1] {
			t.Errorf("%s = %q / %q, want %q / %q", field, id, en, labels[0], labels[1])
		}
	}
}
