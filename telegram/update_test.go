package telegram

import (
	"testing"

	"github.com/daftar-bot/daftar/store"
)

// TestDecodeFetched checks the poller's one decoding of a fetched update:
// its id, chat and content come out together, an update that does not
// decode keeps its id (to be confirmed and dropped), one without a usable
// id is skipped, and a journaled update read back decodes the same.
func TestDecodeFetched(t *testing.T) {
	good := []byte(`{"update_id":7,"message":{"message_id":3,"from":{"id":5,"first_name":"A"},"chat":{"id":5,"type":"private"},"date":1,"text":"halo"}}`)
	tr, ok := decodeFetched(good, "daftar_bot")
	if !ok || tr.u.ID != 7 || tr.chat != 5 || tr.upd == nil || tr.upd.ID != 7 || tr.upd.Text != "halo" || string(tr.u.Raw) != string(good) {
		t.Fatalf("good update: ok %v, id %d, chat %d, decoded %+v", ok, tr.u.ID, tr.chat, tr.upd)
	}
	again := (&Client{username: "daftar_bot"}).decodeAll([]store.Update{{ID: 7, Raw: good}})
	if len(again) != 1 || again[0].chat != tr.chat || again[0].upd == nil || *again[0].upd != *tr.upd {
		t.Fatalf("journaled update decodes as %+v, fetched as %+v", again, tr)
	}

	bad, ok := decodeFetched([]byte(`{"update_id":8,"message":"not a message"}`), "daftar_bot")
	if !ok || bad.u.ID != 8 || bad.upd != nil {
		t.Fatalf("undecodable update with an id: ok %v, id %d, decoded %+v; want kept by id, undecoded", ok, bad.u.ID, bad.upd)
	}

	for _, raw := range []string{`{"message":{}}`, `{"update_id":0}`, `{"update_id":-4}`, `{"update_id":"9"}`, `{"update_id":-4,"message":"not a message"}`, `not json`} {
		if tr, ok := decodeFetched([]byte(raw), "daftar_bot"); ok {
			t.Errorf("%s: kept with id %d, want skipped", raw, tr.u.ID)
		}
	}
}

// FuzzDecodeFetched feeds the one decoding of an update, which a webhook
// runs on whatever reaches it with the secret, arbitrary bytes: it never
// panics, keeps an update only with a positive id, and what it keeps
// decodes the same when read back from the journal.
//
//	go test -run XXX -fuzz FuzzDecodeFetched -fuzztime 60s ./telegram
func FuzzDecodeFetched(f *testing.F) {
	for _, seed := range []string{
		`{"update_id":7,"message":{"message_id":3,"from":{"id":5,"first_name":"A"},"chat":{"id":5,"type":"private"},"date":1,"text":"/start@daftar_bot angkatan-2"}}`,
		`{"update_id":8,"callback_query":{"id":"c1","from":{"id":5,"first_name":"A"},"message":{"message_id":4,"chat":{"id":5,"type":"private"},"date":1},"data":"x:1"}}`,
		`{"update_id":9,"message":{"message_id":5,"from":{"id":5,"first_name":"A"},"chat":{"id":5,"type":"private"},"date":1,"contact":{"phone_number":"+628123","first_name":"A","user_id":5}}}`,
		`{"update_id":10,"my_chat_member":{"chat":{"id":-100,"type":"supergroup"},"from":{"id":5},"date":1,"old_chat_member":{"status":"member","user":{"id":1}},"new_chat_member":{"status":"kicked","user":{"id":1}}}}`,
		`{"update_id":11,"edited_message":{"message_id":3,"chat":{"id":-5,"type":"group"},"date":1,"text":"x"}}`,
		`{"update_id":12,"message":"not a message"}`,
		`{"update_id":-1}`, `[]`, `null`, ``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		tr, ok := decodeFetched(raw, "daftar_bot")
		if !ok {
			return
		}
		if tr.u.ID <= 0 {
			t.Fatalf("kept an update with id %d", tr.u.ID)
		}
		if tr.upd == nil {
			return
		}
		if tr.upd.ID != tr.u.ID {
			t.Fatalf("decoded id %d, kept as %d", tr.upd.ID, tr.u.ID)
		}
		again := (&Client{username: "daftar_bot"}).decodeAll([]store.Update{tr.u})
		if again[0].upd == nil || again[0].chat != tr.chat || *again[0].upd != *tr.upd {
			t.Fatalf("read back from the journal as %+v (chat %d), fetched as %+v (chat %d)", again[0].upd, again[0].chat, tr.upd, tr.chat)
		}
	})
}
