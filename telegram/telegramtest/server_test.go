package telegramtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

const token = "4242:test-token"

// apiResponse is a Bot API answer.
type apiResponse struct {
	Status      int             `json:"-"`
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// mustServer starts a server that is closed when the test ends.
func mustServer(tb testing.TB) *telegramtest.Server {
	tb.Helper()
	s := telegramtest.NewServer(token)
	tb.Cleanup(s.Close)
	return s
}

// do sends req and decodes the answer.
func do(tb testing.TB, req *http.Request) apiResponse {
	tb.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s: %v", req.URL.Path, err)
	}
	defer resp.Body.Close()
	var r apiResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		tb.Fatalf("%s: decode: %v", req.URL.Path, err)
	}
	r.Status = resp.StatusCode
	if r.OK != (resp.StatusCode == http.StatusOK) || !r.OK && r.ErrorCode != resp.StatusCode {
		tb.Fatalf("%s: status %d does not match %+v", req.URL.Path, resp.StatusCode, r)
	}
	return r
}

// call sends params as multipart/form-data, the way the client library does.
func call(tb testing.TB, s *telegramtest.Server, method string, params map[string]string) apiResponse {
	tb.Helper()
	return callFile(tb, s, method, params, "", "", nil)
}

// callFile is call with one file part.
func callFile(tb testing.TB, s *telegramtest.Server, method string, params map[string]string, field, name string, data []byte) apiResponse {
	tb.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, v := range params {
		if err := w.WriteField(k, v); err != nil {
			tb.Fatal(err)
		}
	}
	if field != "" {
		fw, err := w.CreateFormFile(field, name)
		if err != nil {
			tb.Fatal(err)
		}
		fw.Write(data)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/bot"+token+"/"+method, &body)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return do(tb, req)
}

// callJSON sends params as an application/json body.
func callJSON(tb testing.TB, s *telegramtest.Server, method string, params any) apiResponse {
	tb.Helper()
	b, err := json.Marshal(params)
	if err != nil {
		tb.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/bot"+token+"/"+method, bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(tb, req)
}

// async sends a URL-encoded request in a goroutine; the channel receives the
// answer, or a zero apiResponse when the request failed.
func async(s *telegramtest.Server, method string, params url.Values) <-chan apiResponse {
	ch := make(chan apiResponse, 1)
	go func() {
		var r apiResponse
		defer func() { ch <- r }()
		resp, err := http.PostForm(s.URL()+"/bot"+token+"/"+method, params)
		if err != nil {
			return
		}
		defer resp.Body.Close()
		json.NewDecoder(resp.Body).Decode(&r)
		r.Status = resp.StatusCode
	}()
	return ch
}

// doneOf closes its channel when ch delivers.
func doneOf[T any](ch <-chan T) <-chan struct{} {
	done := make(chan struct{})
	go func() { <-ch; close(done) }()
	return done
}

// mustOK fails the test unless r is a success and decodes its result into v.
func mustOK(tb testing.TB, r apiResponse, v any) {
	tb.Helper()
	if !r.OK {
		tb.Fatalf("want ok, got %d %s", r.ErrorCode, r.Description)
	}
	if v != nil {
		if err := json.Unmarshal(r.Result, v); err != nil {
			tb.Fatalf("decode result %s: %v", r.Result, err)
		}
	}
}

// mustFail fails the test unless r is an error with code and a description
// starting with prefix.
func mustFail(tb testing.TB, r apiResponse, code int, prefix string) {
	tb.Helper()
	if r.OK || r.ErrorCode != code || !strings.HasPrefix(r.Description, prefix) {
		tb.Fatalf("want %d %q..., got ok=%v %d %q", code, prefix, r.OK, r.ErrorCode, r.Description)
	}
}

// update is the part of an Update the tests look at.
type update struct {
	UpdateID      int64           `json:"update_id"`
	Message       *message        `json:"message"`
	EditedMessage *message        `json:"edited_message"`
	CallbackQuery *callbackQuery  `json:"callback_query"`
	Custom        json.RawMessage `json:"custom"`
}

type message struct {
	MessageID int64 `json:"message_id"`
	Date      int64 `json:"date"`
	Chat      struct {
		ID   int64  `json:"id"`
		Type string `json:"type"`
	} `json:"chat"`
	From struct {
		ID    int64 `json:"id"`
		IsBot bool  `json:"is_bot"`
	} `json:"from"`
	Text     string `json:"text"`
	Caption  string `json:"caption"`
	Entities []struct {
		Type   string `json:"type"`
		Offset int    `json:"offset"`
		Length int    `json:"length"`
	} `json:"entities"`
	Contact *struct {
		PhoneNumber string `json:"phone_number"`
		UserID      int64  `json:"user_id"`
	} `json:"contact"`
	ReplyMarkup *struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	} `json:"reply_markup"`
}

type callbackQuery struct {
	ID           string             `json:"id"`
	From         struct{ ID int64 } `json:"from"`
	Message      message            `json:"message"`
	ChatInstance string             `json:"chat_instance"`
	Data         string             `json:"data"`
}

// getUpdates polls once.
func getUpdates(tb testing.TB, s *telegramtest.Server, params map[string]string) []update {
	tb.Helper()
	var ups []update
	mustOK(tb, call(tb, s, "getUpdates", params), &ups)
	return ups
}

var ann = telegramtest.User{ID: 1001, FirstName: "Ann", Username: "ann", LanguageCode: "id"}

// Ensure that the server speaks the Bot API envelope, checks the token and
// knows its methods, whatever the body encoding.
func TestServer_Wire(t *testing.T) {
	s := mustServer(t)

	t.Run("getMe", func(t *testing.T) {
		var me struct {
			ID        int64  `json:"id"`
			IsBot     bool   `json:"is_bot"`
			FirstName string `json:"first_name"`
			Username  string `json:"username"`
		}
		mustOK(t, call(t, s, "getMe", nil), &me)
		if me.ID != 4242 || !me.IsBot || me.FirstName != "Daftar Test" || me.Username != "daftar_test_bot" {
			t.Fatalf("getMe = %+v", me)
		}
	})
	t.Run("wrong token", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, s.URL()+"/bot1:other/getMe", nil)
		mustFail(t, do(t, req), 401, "Unauthorized")
	})
	t.Run("unknown method", func(t *testing.T) {
		mustFail(t, call(t, s, "sendTelepathy", nil), 404, "Not Found")
	})
	t.Run("url-encoded and JSON bodies", func(t *testing.T) {
		form := url.Values{"chat_id": {"7"}, "text": {"form"}}
		req, _ := http.NewRequest(http.MethodPost, s.URL()+"/bot"+token+"/sendMessage", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		mustOK(t, do(t, req), nil)
		mustOK(t, callJSON(t, s, "sendMessage", map[string]any{"chat_id": 7, "text": "json"}), nil)
		sent := s.SentTo(7)
		if len(sent) != 2 || sent[0].Text != "form" || sent[1].Text != "json" || sent[1].MessageID != 2 {
			t.Fatalf("SentTo(7) = %+v", sent)
		}
		if got := s.Requests("sendmessage"); got != 2 {
			t.Fatalf("Requests = %d, want 2", got)
		}
	})
}

// Ensure that getUpdates follows Telegram: offset confirms and forgets, limit
// caps, and a long poll answers as soon as an update arrives.
func TestServer_GetUpdates(t *testing.T) {
	t.Run("offset and limit", func(t *testing.T) {
		s := mustServer(t)
		for _, text := range []string{"/start angkatan-1", "b", "c"} {
			s.SendText(ann, text)
		}
		ups := getUpdates(t, s, map[string]string{"limit": "2"})
		if len(ups) != 2 || ups[0].UpdateID != 1 || ups[1].UpdateID != 2 {
			t.Fatalf("updates = %+v", ups)
		}
		m := ups[0].Message
		if m.Text != "/start angkatan-1" || m.Chat.ID != ann.ID || m.Chat.Type != "private" || m.From.ID != ann.ID || m.MessageID != 1 {
			t.Fatalf("message = %+v", m)
		}
		if len(m.Entities) != 1 || m.Entities[0].Type != "bot_command" || m.Entities[0].Length != 6 {
			t.Fatalf("entities = %+v", m.Entities)
		}
		if s.Confirmed(1) || s.Pending() != 3 {
			t.Fatalf("confirmed before offset: pending %d", s.Pending())
		}
		ups = getUpdates(t, s, map[string]string{"offset": "3"})
		if len(ups) != 1 || ups[0].UpdateID != 3 {
			t.Fatalf("updates after offset 3 = %+v", ups)
		}
		if !s.Confirmed(2) || s.Confirmed(3) || s.Pending() != 1 {
			t.Fatalf("Confirmed(2)=%v Confirmed(3)=%v Pending=%d", s.Confirmed(2), s.Confirmed(3), s.Pending())
		}
		// Forgotten updates never come back, even with offset 0.
		if ups := getUpdates(t, s, nil); len(ups) != 1 || ups[0].UpdateID != 3 {
			t.Fatalf("updates with offset 0 = %+v", ups)
		}
	})
	t.Run("long poll times out empty", func(t *testing.T) {
		s := mustServer(t)
		start := time.Now()
		if ups := getUpdates(t, s, map[string]string{"timeout": "1"}); len(ups) != 0 {
			t.Fatalf("updates = %+v", ups)
		}
		if d := time.Since(start); d < 900*time.Millisecond {
			t.Fatalf("returned after %v, want about 1s", d)
		}
	})
	t.Run("long poll wakes on update", func(t *testing.T) {
		s := mustServer(t)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		got := async(s, "getUpdates", url.Values{"timeout": {"30"}})
		if err := s.WaitRequests(ctx, "getUpdates", 1); err != nil {
			t.Fatal(err)
		}
		id := s.SendText(ann, "halo")
		select {
		case r := <-got:
			var ups []update
			json.Unmarshal(r.Result, &ups)
			if len(ups) != 1 || ups[0].UpdateID != id {
				t.Fatalf("updates = %+v", ups)
			}
		case <-ctx.Done():
			t.Fatal("long poll did not return")
		}
	})
	t.Run("Close wakes long poll", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s := telegramtest.NewServer(token)
		returned := async(s, "getUpdates", url.Values{"timeout": {"30"}})
		if err := s.WaitRequests(ctx, "getUpdates", 1); err != nil {
			t.Fatal(err)
		}
		s.Close()
		select {
		case <-returned:
		case <-ctx.Done():
			t.Fatal("long poll survived Close")
		}
	})
	t.Run("configurable first id and injected updates", func(t *testing.T) {
		s := mustServer(t)
		s.SetNextUpdateID(500)
		id := s.InjectUpdate(json.RawMessage(`{"update_id":1,"custom":{"x":1}}`))
		ups := getUpdates(t, s, map[string]string{"offset": "500"})
		if id != 500 || len(ups) != 1 || ups[0].UpdateID != 500 || string(ups[0].Custom) != `{"x":1}` {
			t.Fatalf("id %d, updates %+v", id, ups)
		}
	})
}

// sendKeyboard sends a message with an inline keyboard to chat and returns it.
func sendKeyboard(tb testing.TB, s *telegramtest.Server, chat, text string, buttons ...string) message {
	tb.Helper()
	var row []map[string]string
	for i := 0; i+1 < len(buttons); i += 2 {
		row = append(row, map[string]string{"text": buttons[i], "callback_data": buttons[i+1]})
	}
	mk, _ := json.Marshal(map[string]any{"inline_keyboard": [][]map[string]string{row}})
	var m message
	mustOK(tb, call(tb, s, "sendMessage", map[string]string{"chat_id": chat, "text": text, "reply_markup": string(mk)}), &m)
	return m
}

// Ensure that sendMessage stores what the user would see and rejects what
// Telegram rejects, HTML that is not well formed in particular.
func TestServer_SendMessage(t *testing.T) {
	s := mustServer(t)

	t.Run("HTML", func(t *testing.T) {
		valid := map[string]string{
			"<b>Nama</b>: Siti &amp; Ani":                                 "Nama: Siti & Ani",
			`<a href="https://t.me/x?a=1&amp;b=2">link</a>`:               "link",
			`<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>`: "st",
			"<pre><code class=\"language-go\">x &lt; y</code></pre>":      "x < y",
			"&#65;&#x42; &quot;q&quot; <i><u>iu</u></i>":                  `AB "q" iu`,
		}
		for raw, want := range valid {
			var m message
			mustOK(t, call(t, s, "sendMessage", map[string]string{"chat_id": "5", "text": raw, "parse_mode": "HTML"}), &m)
			got, _ := s.Current(5, m.MessageID)
			if m.Text != want || got.Text != want || got.RawText != raw || got.ParseMode != "HTML" {
				t.Errorf("%q: text %q, stored %+v", raw, m.Text, got)
			}
		}
		invalid := []string{
			"a < b", "a > b", "Tom & Jerry", "<br>", "<b>x</i>", "<b>x", "x</b>",
			`<span>x</span>`, "<a>x</a>", "&nbsp;", "<b",
		}
		for _, raw := range invalid {
			r := call(t, s, "sendMessage", map[string]string{"chat_id": "5", "text": raw, "parse_mode": "HTML"})
			mustFail(t, r, 400, "Bad Request: can't parse entities: ")
		}
		// Without parse_mode the same text is fine.
		mustOK(t, call(t, s, "sendMessage", map[string]string{"chat_id": "5", "text": "a < b & c"}), nil)
	})
	t.Run("length", func(t *testing.T) {
		mustOK(t, call(t, s, "sendMessage", map[string]string{"chat_id": "5", "text": strings.Repeat("é", 4096)}), nil)
		r := call(t, s, "sendMessage", map[string]string{"chat_id": "5", "text": strings.Repeat("x", 4097)})
		mustFail(t, r, 400, "Bad Request: message is too long")
		// An emoji is two UTF-16 code units.
		r = call(t, s, "sendMessage", map[string]string{"chat_id": "5", "text": strings.Repeat("😀", 2049)})
		mustFail(t, r, 400, "Bad Request: message is too long")
		// Tags do not count.
		r = call(t, s, "sendMessage", map[string]string{"chat_id": "5", "parse_mode": "HTML", "text": "<b>" + strings.Repeat("x", 4096) + "</b>"})
		mustOK(t, r, nil)
		mustFail(t, call(t, s, "sendMessage", map[string]string{"chat_id": "5", "text": " "}), 400, "Bad Request: message text is empty")
		mustFail(t, call(t, s, "sendMessage", map[string]string{"chat_id": "5", "parse_mode": "HTML", "text": "<b></b>"}), 400, "Bad Request: message text is empty")
	})
	t.Run("keyboards", func(t *testing.T) {
		m := sendKeyboard(t, s, "6", "Pilih", "Daftar", "reg:angkatan-1", "Batal", "cancel")
		if m.ReplyMarkup == nil || len(m.ReplyMarkup.InlineKeyboard[0]) != 2 || m.From.ID != 4242 || !m.From.IsBot || m.Chat.Type != "private" {
			t.Fatalf("result = %+v", m)
		}
		got, _ := s.Current(6, m.MessageID)
		if len(got.Inline) != 1 || got.Inline[0][1] != (telegramtest.Button{Text: "Batal", CallbackData: "cancel"}) {
			t.Fatalf("Inline = %+v", got.Inline)
		}
		mustOK(t, call(t, s, "sendMessage", map[string]string{"chat_id": "6", "text": "Kontak?",
			"reply_markup": `{"keyboard":[[{"text":"Bagikan kontak","request_contact":true}],["Batal"]],"resize_keyboard":true}`}), nil)
		mustOK(t, call(t, s, "sendMessage", map[string]string{"chat_id": "6", "text": "Ok", "reply_markup": `{"remove_keyboard":true}`}), nil)
		sent := s.SentTo(6)
		kb := sent[1].Keyboard
		if len(kb) != 2 || !kb[0][0].RequestContact || kb[0][0].Text != "Bagikan kontak" || kb[1][0].Text != "Batal" || !sent[2].RemoveKeyboard {
			t.Fatalf("sent = %+v", sent)
		}
		for mk, want := range map[string]string{
			`{"inline_keyboard":[[{"text":"x"}]]}`:                                                   "Bad Request: can't parse inline keyboard button",
			`{"inline_keyboard":[[{"text":"x","callback_data":"` + strings.Repeat("d", 65) + `"}]]}`: "Bad Request: BUTTON_DATA_INVALID",
			`{"inline_keyboard":`: "Bad Request: can't parse reply keyboard markup",
		} {
			mustFail(t, call(t, s, "sendMessage", map[string]string{"chat_id": "6", "text": "x", "reply_markup": mk}), 400, want)
		}
	})
}

// Ensure that edits change the current message and that Telegram's "not
// modified" and "not found" errors are given.
func TestServer_EditMessage(t *testing.T) {
	s := mustServer(t)
	m := sendKeyboard(t, s, "8", "Ringkasan", "Konfirmasi", "confirm")
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	mk := `{"inline_keyboard":[[{"text":"Konfirmasi","callback_data":"confirm"}]]}`

	t.Run("not modified", func(t *testing.T) {
		r := call(t, s, "editMessageText", map[string]string{"chat_id": "8", "message_id": id(m.MessageID), "text": "Ringkasan", "reply_markup": mk})
		mustFail(t, r, 400, "Bad Request: message is not modified")
		r = call(t, s, "editMessageReplyMarkup", map[string]string{"chat_id": "8", "message_id": id(m.MessageID), "reply_markup": mk})
		mustFail(t, r, 400, "Bad Request: message is not modified")
	})
	t.Run("not found", func(t *testing.T) {
		r := call(t, s, "editMessageText", map[string]string{"chat_id": "8", "message_id": "99", "text": "x"})
		mustFail(t, r, 400, "Bad Request: message to edit not found")
		r = call(t, s, "deleteMessage", map[string]string{"chat_id": "8", "message_id": "99"})
		mustFail(t, r, 400, "Bad Request: message to delete not found")
	})
	t.Run("edit text drops keyboard unless given", func(t *testing.T) {
		var got message
		mustOK(t, call(t, s, "editMessageText", map[string]string{"chat_id": "8", "message_id": id(m.MessageID), "text": "<b>Terkirim</b>", "parse_mode": "HTML"}), &got)
		if got.Text != "Terkirim" || got.ReplyMarkup != nil {
			t.Fatalf("result = %+v", got)
		}
		cur, ok := s.Current(8, m.MessageID)
		if !ok || cur.Text != "Terkirim" || cur.Inline != nil || cur.Method != "sendMessage" || cur.Seq != s.LastSeq() {
			t.Fatalf("Current = %+v", cur)
		}
		mustOK(t, call(t, s, "editMessageReplyMarkup", map[string]string{"chat_id": "8", "message_id": id(m.MessageID), "reply_markup": mk}), nil)
		if cur, _ := s.Current(8, m.MessageID); len(cur.Inline) != 1 {
			t.Fatalf("Current after markup edit = %+v", cur)
		}
		sent := s.SentTo(8)
		if len(sent) != 3 || sent[1].Method != "editMessageText" || sent[2].Method != "editMessageReplyMarkup" {
			t.Fatalf("SentTo = %+v", sent)
		}
	})
	t.Run("delete", func(t *testing.T) {
		mustOK(t, call(t, s, "deleteMessage", map[string]string{"chat_id": "8", "message_id": id(m.MessageID)}), nil)
		if _, ok := s.Current(8, m.MessageID); ok {
			t.Fatal("deleted message is current")
		}
	})
}

// Ensure that pressing a button enqueues the callback_query Telegram would
// send, and that it can be answered exactly once.
func TestServer_PressButton(t *testing.T) {
	s := mustServer(t)
	s.SendText(ann, "/start")
	old := sendKeyboard(t, s, "1001", "Lama", "Daftar", "reg:old")
	m := sendKeyboard(t, s, "1001", "Baru", "Daftar", "reg:new", "Batal", "cancel")
	if old.MessageID != 2 || m.MessageID != 3 {
		t.Fatalf("message ids %d, %d: the user's message shares the counter", old.MessageID, m.MessageID)
	}

	id, err := s.PressButton(ann, "Daftar")
	if err != nil {
		t.Fatal(err)
	}
	var cb *callbackQuery
	for _, u := range getUpdates(t, s, nil) {
		if u.UpdateID == id {
			cb = u.CallbackQuery
		}
	}
	if cb == nil || cb.Data != "reg:new" || cb.From.ID != ann.ID || cb.Message.MessageID != 3 || cb.Message.Text != "Baru" ||
		cb.Message.Date == 0 || cb.Message.Chat.ID != ann.ID || cb.ChatInstance == "" || cb.ID == "" {
		t.Fatalf("callback_query = %+v", cb)
	}

	t.Run("in a given message", func(t *testing.T) {
		id, err := s.PressButtonIn(ann, old.MessageID, "Daftar")
		ups := getUpdates(t, s, map[string]string{"offset": "3"})
		if err != nil || len(ups) != 1 || ups[0].UpdateID != id || ups[0].CallbackQuery.Data != "reg:old" {
			t.Fatalf("err %v, updates %+v", err, ups)
		}
	})
	t.Run("missing button", func(t *testing.T) {
		if _, err := s.PressButton(ann, "Tidak ada"); !errors.Is(err, telegramtest.ErrNoButton) {
			t.Fatalf("err = %v", err)
		}
		if _, err := s.PressButtonIn(ann, old.MessageID, "Batal"); !errors.Is(err, telegramtest.ErrNoButton) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("answer once", func(t *testing.T) {
		mustOK(t, call(t, s, "answerCallbackQuery", map[string]string{"callback_query_id": cb.ID, "text": "Oke", "show_alert": "true"}), nil)
		r := call(t, s, "answerCallbackQuery", map[string]string{"callback_query_id": cb.ID})
		mustFail(t, r, 400, "Bad Request: query is too old")
		r = call(t, s, "answerCallbackQuery", map[string]string{"callback_query_id": "nope"})
		mustFail(t, r, 400, "Bad Request: query is too old")
		last := s.Sent()[len(s.Sent())-1]
		if last.Method != "answerCallbackQuery" || last.CallbackQueryID != cb.ID || last.Text != "Oke" || !last.ShowAlert || last.ChatID != ann.ID || last.MessageID != 3 {
			t.Fatalf("recorded %+v", last)
		}
	})
	t.Run("forged data", func(t *testing.T) {
		id := s.Callback(ann, 3, "admin:export")
		ups := getUpdates(t, s, map[string]string{"offset": "4"})
		if len(ups) != 1 || ups[0].UpdateID != id || ups[0].CallbackQuery.Data != "admin:export" {
			t.Fatalf("updates %+v", ups)
		}
	})
}

// Ensure that the user helpers build the messages Telegram would deliver.
func TestServer_UserMessages(t *testing.T) {
	s := mustServer(t)
	s.SendContact(ann, "+6281234567890", ann.ID)
	s.SendMessage(ann, map[string]any{"photo": []map[string]any{{"file_id": "p1", "width": 10, "height": 10}}, "caption": "foto"})
	s.SendGroupText(ann, -100, "/start@daftar_test_bot")
	s.EditText(ann, 2, "edited")
	ups := getUpdates(t, s, nil)
	if len(ups) != 4 {
		t.Fatalf("updates %+v", ups)
	}
	if c := ups[0].Message.Contact; c == nil || c.PhoneNumber != "+6281234567890" || c.UserID != ann.ID {
		t.Fatalf("contact %+v", ups[0].Message)
	}
	if m := ups[1].Message; m.Caption != "foto" || m.MessageID != 2 {
		t.Fatalf("photo %+v", m)
	}
	if m := ups[2].Message; m.Chat.ID != -100 || m.Chat.Type != "group" || m.MessageID != 1 || m.Entities[0].Length != 22 {
		t.Fatalf("group %+v", m)
	}
	if m := ups[3].EditedMessage; m == nil || m.MessageID != 2 || m.Text != "edited" {
		t.Fatalf("edited %+v", ups[3])
	}
}

// Ensure that copyMessage copies users' and the bot's messages and records
// where the copy came from.
func TestServer_CopyMessage(t *testing.T) {
	s := mustServer(t)
	admin := telegramtest.User{ID: 9, FirstName: "Admin"}
	s.SendText(admin, "/announce")
	s.SendMessage(admin, map[string]any{"document": map[string]any{"file_id": "d1", "file_name": "jadwal.pdf"}, "caption": "Jadwal"})

	var res struct {
		MessageID int64 `json:"message_id"`
	}
	mustOK(t, call(t, s, "copyMessage", map[string]string{"chat_id": "1001", "from_chat_id": "9", "message_id": "2"}), &res)
	if res.MessageID != 1 {
		t.Fatalf("message_id = %d", res.MessageID)
	}
	got := s.SentTo(1001)
	if len(got) != 1 || got[0].Method != "copyMessage" || got[0].FromChatID != 9 || got[0].CopiedID != 2 || got[0].Caption != "Jadwal" || got[0].FileName != "jadwal.pdf" {
		t.Fatalf("SentTo = %+v", got)
	}
	mustOK(t, call(t, s, "copyMessage", map[string]string{"chat_id": "1001", "from_chat_id": "1001", "message_id": "1", "caption": "Baru"}), &res)
	if got := s.SentTo(1001); got[1].Caption != "Baru" || res.MessageID != 2 {
		t.Fatalf("copy of a copy: %+v", got[1])
	}
	mustFail(t, call(t, s, "copyMessage", map[string]string{"chat_id": "1001", "from_chat_id": "9", "message_id": "7"}), 400, "Bad Request: message to copy not found")
}

// Ensure that uploaded documents and photos are kept with name, bytes and
// caption.
func TestServer_SendDocument(t *testing.T) {
	s := mustServer(t)
	csv := []byte("seat,batch,status\n1,angkatan-1,registered\n")
	var m struct {
		Document struct {
			FileName string `json:"file_name"`
			FileSize int    `json:"file_size"`
		} `json:"document"`
		Caption string `json:"caption"`
	}
	r := callFile(t, s, "sendDocument", map[string]string{"chat_id": "9", "caption": "<b>Peserta</b>", "parse_mode": "HTML"}, "document", "peserta.csv", csv)
	mustOK(t, r, &m)
	if m.Document.FileName != "peserta.csv" || m.Document.FileSize != len(csv) || m.Caption != "Peserta" {
		t.Fatalf("result %+v", m)
	}
	got := s.SentTo(9)[0]
	if got.Method != "sendDocument" || got.FileName != "peserta.csv" || !bytes.Equal(got.FileData, csv) || got.Caption != "Peserta" {
		t.Fatalf("recorded %+v", got)
	}
	mustOK(t, callFile(t, s, "sendPhoto", map[string]string{"chat_id": "9"}, "photo", "a.png", []byte{0x89, 'P'}), nil)
	if got := s.SentTo(9)[1]; got.Method != "sendPhoto" || got.FileName != "a.png" || len(got.FileData) != 2 {
		t.Fatalf("recorded %+v", got)
	}
	mustFail(t, call(t, s, "sendDocument", map[string]string{"chat_id": "9"}), 400, "Bad Request: there is no document")
}

// Ensure that injected faults are answered as Telegram would, to the right
// requests, as many times as asked.
func TestServer_Faults(t *testing.T) {
	send := func(s *telegramtest.Server, chat string) apiResponse {
		return call(t, s, "sendMessage", map[string]string{"chat_id": chat, "text": "x"})
	}
	t.Run("429 with retry_after", func(t *testing.T) {
		s := mustServer(t)
		s.Inject("sendMessage", telegramtest.Fault{Status: 429, RetryAfter: 3, Times: 1})
		if n, other := s.PendingFaults("sendMessage"), s.PendingFaults("getUpdates"); n != 1 || other != 0 {
			t.Fatalf("PendingFaults = %d for sendMessage, %d for getUpdates; want 1, 0", n, other)
		}
		r := send(s, "1")
		mustFail(t, r, 429, "Too Many Requests: retry after 3")
		if r.Parameters.RetryAfter != 3 {
			t.Fatalf("retry_after = %d", r.Parameters.RetryAfter)
		}
		if n := s.PendingFaults("sendMessage"); n != 0 {
			t.Fatalf("PendingFaults after the fault was used = %d, want 0", n)
		}
		mustOK(t, send(s, "1"), nil)
		if len(s.Sent()) != 1 || s.Requests("sendMessage") != 2 {
			t.Fatalf("sent %d, requests %d", len(s.Sent()), s.Requests("sendMessage"))
		}
	})
	t.Run("Times and ChatID", func(t *testing.T) {
		s := mustServer(t)
		s.Inject("*", telegramtest.Fault{Status: 500, Times: 2, ChatID: 2})
		mustOK(t, send(s, "1"), nil)
		mustFail(t, send(s, "2"), 500, "Internal Server Error")
		mustFail(t, call(t, s, "sendChatAction", map[string]string{"chat_id": "2", "action": "typing"}), 500, "Internal Server Error")
		mustOK(t, send(s, "2"), nil)
		s.Inject("getUpdates", telegramtest.Fault{Status: 409})
		mustFail(t, call(t, s, "getUpdates", nil), 409, "Conflict: terminated by other getUpdates request")
		mustFail(t, call(t, s, "getUpdates", nil), 409, "Conflict")
		s.ClearFaults()
		mustOK(t, call(t, s, "getUpdates", nil), nil)
	})
	t.Run("Block", func(t *testing.T) {
		s := mustServer(t)
		s.Block(3)
		mustFail(t, send(s, "3"), 403, "Forbidden: bot was blocked by the user")
		mustOK(t, send(s, "4"), nil)
		s.Unblock(3)
		mustOK(t, send(s, "3"), nil)
	})
	t.Run("Drop", func(t *testing.T) {
		s := mustServer(t)
		s.Inject("sendMessage", telegramtest.Fault{Drop: true, Times: 1})
		req, _ := http.NewRequest(http.MethodPost, s.URL()+"/bot"+token+"/sendMessage?chat_id=1&text=x", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			t.Fatalf("dropped request answered %s", resp.Status)
		}
		mustOK(t, send(s, "1"), nil)
	})
	t.Run("Close ends delayed requests", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s := telegramtest.NewServer(token)
		s.Inject("*", telegramtest.Fault{Delay: time.Minute})
		answered := async(s, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"x"}})
		if err := s.WaitRequests(ctx, "sendMessage", 1); err != nil {
			t.Fatal(err)
		}
		closed := make(chan struct{})
		go func() { s.Close(); close(closed) }()
		for _, c := range []<-chan struct{}{closed, doneOf(answered)} {
			select {
			case <-c:
			case <-ctx.Done():
				t.Fatal("Close blocked by a delayed request")
			}
		}
	})
	t.Run("Delay honours cancel", func(t *testing.T) {
		s := mustServer(t)
		s.Inject("sendMessage", telegramtest.Fault{Delay: time.Minute})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/bot"+token+"/sendMessage?chat_id=1&text=x", nil)
		if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
		if len(s.Sent()) != 0 {
			t.Fatal("delayed, cancelled request was sent")
		}
	})
}

// Ensure that SetLimits answers 429 beyond the rates and counts it.
func TestServer_SetLimits(t *testing.T) {
	s := mustServer(t)
	s.SetLimits(3, 1)
	send := func(chat string) apiResponse {
		return call(t, s, "sendMessage", map[string]string{"chat_id": chat, "text": "x"})
	}
	mustOK(t, send("1"), nil)
	r := send("1")
	mustFail(t, r, 429, "Too Many Requests: retry after 1")
	if r.Parameters.RetryAfter < 1 {
		t.Fatalf("retry_after = %d", r.Parameters.RetryAfter)
	}
	mustOK(t, send("2"), nil)
	mustOK(t, send("3"), nil)
	mustFail(t, send("4"), 429, "Too Many Requests") // global
	if s.TooMany() != 2 || len(s.Sent()) != 3 {
		t.Fatalf("TooMany = %d, sent %d", s.TooMany(), len(s.Sent()))
	}
	// Other methods are not limited.
	mustOK(t, call(t, s, "getMe", nil), nil)
	s.SetLimits(0, 0)
	mustOK(t, send("1"), nil)
}

// Ensure that SetGroupLimit answers 429 beyond the rate of a group per
// minute, and that private chats are not counted.
func TestServer_SetGroupLimit(t *testing.T) {
	s := mustServer(t)
	s.SetGroupLimit(2)
	send := func(chat string) apiResponse {
		return call(t, s, "sendMessage", map[string]string{"chat_id": chat, "text": "x"})
	}
	mustOK(t, send("-100"), nil)
	mustOK(t, send("-100"), nil)
	r := send("-100")
	mustFail(t, r, 429, "Too Many Requests")
	if r.Parameters.RetryAfter < 1 || r.Parameters.RetryAfter > 60 {
		t.Fatalf("retry_after = %d, want within a minute", r.Parameters.RetryAfter)
	}
	mustOK(t, send("-200"), nil) // another group
	for range 5 {
		mustOK(t, send("7"), nil) // a private chat
	}
	if s.TooMany() != 1 {
		t.Fatalf("TooMany = %d, want 1", s.TooMany())
	}
}

// Ensure that with SetLatency a request is carried out when it arrives,
// half the round trip after it left, and answered only after the whole
// round trip, errors too, and that a request cancelled on the way was
// still carried out.
func TestServer_SetLatency(t *testing.T) {
	s := mustServer(t)
	s.SetLatency(200 * time.Millisecond)
	start := time.Now()
	mustOK(t, call(t, s, "sendMessage", map[string]string{"chat_id": "5", "text": "x"}), nil)
	if took := time.Since(start); took < 200*time.Millisecond {
		t.Fatalf("answered after %v, want at least the latency", took)
	}
	sent := s.Sent()
	if len(sent) != 1 || sent[0].Time.Sub(start) < 100*time.Millisecond || sent[0].Time.Sub(start) >= 200*time.Millisecond {
		t.Fatalf("sent %+v: want it stamped on arrival, half the round trip after it left", sent)
	}
	start = time.Now()
	mustFail(t, call(t, s, "sendMessage", map[string]string{"chat_id": "5"}), 400, "")
	if took := time.Since(start); took < 200*time.Millisecond {
		t.Fatalf("error answered after %v, want at least the latency", took)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL()+"/bot"+token+"/sendMessage",
		strings.NewReader("chat_id=6&text=y"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the deadline: the answer is still on the way", err)
	}
	wctx, wcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer wcancel()
	if _, err := s.WaitSent(wctx, 0, func(m telegramtest.Message) bool { return m.ChatID == 6 }); err != nil {
		t.Fatalf("a request given up on the way was not carried out when it arrived: %v", err)
	}
	s.SetLatency(0)
	start = time.Now()
	mustOK(t, call(t, s, "getMe", nil), nil)
	if took := time.Since(start); took >= 200*time.Millisecond {
		t.Fatalf("latency off, yet answered after %v", took)
	}
}

// Ensure that command menus are stored per scope and language.
func TestServer_Commands(t *testing.T) {
	s := mustServer(t)
	mustOK(t, call(t, s, "setMyCommands", map[string]string{"commands": `[{"command":"start","description":"Mulai"}]`}), nil)
	mustOK(t, callJSON(t, s, "setMyCommands", map[string]any{
		"commands":      []map[string]string{{"command": "peserta", "description": "Participants"}},
		"scope":         map[string]any{"type": "chat", "chat_id": 9},
		"language_code": "en",
	}), nil)
	got := s.Commands()
	def := got[telegramtest.CommandScope{Type: "default"}]
	admin := got[telegramtest.CommandScope{Type: "chat", ChatID: 9, LanguageCode: "en"}]
	if len(got) != 2 || len(def) != 1 || def[0].Command != "start" || len(admin) != 1 || admin[0].Description != "Participants" {
		t.Fatalf("Commands = %+v", got)
	}
	var list []telegramtest.Command
	mustOK(t, call(t, s, "getMyCommands", nil), &list)
	if len(list) != 1 || list[0].Command != "start" {
		t.Fatalf("getMyCommands = %+v", list)
	}
	mustFail(t, call(t, s, "setMyCommands", map[string]string{"commands": `[{"command":"Start","description":"x"}]`}), 400, "Bad Request: BOT_COMMAND_INVALID")
	mustOK(t, call(t, s, "deleteMyCommands", nil), nil)
	if len(s.Commands()) != 1 {
		t.Fatalf("after delete: %+v", s.Commands())
	}
}

// Ensure that WaitSent and Subscribe deliver new actions without polling.
func TestServer_WaitSent(t *testing.T) {
	s := mustServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ch, stop := s.Subscribe()
	defer stop()

	after := s.LastSeq()
	async(s, "sendMessage", url.Values{"chat_id": {"1"}, "text": {"satu"}})
	m, err := s.WaitSent(ctx, after, func(m telegramtest.Message) bool { return m.ChatID == 1 })
	if err != nil || m.Text != "satu" || m.Seq != 1 {
		t.Fatalf("WaitSent = %+v, %v", m, err)
	}
	select {
	case m := <-ch:
		if m.Seq != 1 {
			t.Fatalf("subscribed %+v", m)
		}
	case <-ctx.Done():
		t.Fatal("nothing subscribed")
	}

	t.Run("deadline", func(t *testing.T) {
		short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		if _, err := s.WaitSent(short, 1, nil); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("closed", func(t *testing.T) {
		s := telegramtest.NewServer(token)
		ch, _ := s.Subscribe()
		errc := make(chan error, 1)
		go func() {
			_, err := s.WaitSent(ctx, 0, nil)
			errc <- err
		}()
		s.Close()
		if err := <-errc; !errors.Is(err, telegramtest.ErrClosed) {
			t.Fatalf("err = %v", err)
		}
		if _, ok := <-ch; ok {
			t.Fatal("subscription open after Close")
		}
	})
}
