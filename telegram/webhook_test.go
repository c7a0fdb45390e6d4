package telegram

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/store"
	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

// runToError runs c, which must stop by itself with an error (as it does
// when it cannot serve its webhook), and returns that error.
func runToError(t *testing.T, c *Client) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := c.Run(ctx, Service{Handle: func(context.Context, *Update) {}, OnPanic: func(context.Context, *Update) {}})
	if ctx.Err() != nil {
		t.Error("Run went on until the test's deadline instead of stopping")
	}
	return err
}

// freeAddr returns a loopback address nothing listens on: the webhook's
// URL names its port before the client listens on it.
func freeAddr(t *testing.T) string {
	t.Helper()
	addr, err := telegramtest.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// newWebhookClient is newTestClient with updates pushed to a webhook on
// loopback; it returns the webhook's URL too.
func newWebhookClient(t *testing.T, db *store.DB, srv *telegramtest.Server) (*Client, string) {
	t.Helper()
	addr := freeAddr(t)
	url := "http://" + addr + "/tg"
	return New(db, Options{Token: senderToken, APIURL: srv.URL(), Webhook: Webhook{URL: url, Listen: addr}}), url
}

// waitHandled waits for the update id among the handled ones.
func waitHandled(t *testing.T, handled <-chan int64, id int64) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case got := <-handled:
			if got == id {
				return
			}
		case <-timeout:
			t.Fatalf("update %d not handled", id)
		}
	}
}

// nextHandled returns the next update handled, which must be want: one
// chat's updates are handled in order, so an update handled twice comes
// before the one after it.
func nextHandled(t *testing.T, handled <-chan int64, want int64) {
	t.Helper()
	select {
	case got := <-handled:
		if got != want {
			t.Errorf("handled update %d, want %d next: an update was handled twice", got, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("update %d not handled", want)
	}
}

// postUpdate posts raw to the webhook at url as Telegram does, with the
// secret given, and returns the answer's status; it retries while the
// webhook is not listening yet.
func postUpdate(t *testing.T, url, secret string, raw []byte) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			return resp.StatusCode
		}
		if time.Now().After(deadline) {
			t.Fatalf("post to the webhook: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// textUpdate is the JSON of a private text message as Telegram pushes it.
func textUpdate(id, user int64, text string) []byte {
	return fmt.Appendf(nil, `{"update_id":%d,"message":{"message_id":%d,"date":1,"chat":{"id":%d,"type":"private","first_name":"Rina"},"from":{"id":%d,"is_bot":false,"first_name":"Rina"},"text":%q}}`, id, id, user, user, text)
}

// Ensure that with a webhook the updates Telegram pushes are handled, in
// order within a chat, and each confirmed to Telegram once journaled.
func TestWebhook_HandlesPushes(t *testing.T) {
	srv := telegramtest.NewServer(senderToken)
	t.Cleanup(srv.Close)
	db := openTestDB(t)
	c, _ := newWebhookClient(t, db, srv)
	handled, _ := serve(t, c, db)
	rina := telegramtest.User{ID: 5, FirstName: "Rina"}
	var ids []int64
	for i := range 5 {
		ids = append(ids, srv.SendText(rina, fmt.Sprint("pesan ", i+1)))
	}
	for _, id := range ids {
		nextHandled(t, handled, id)
	}
	wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer wcancel()
	if err := srv.WaitConfirmed(wctx, ids[len(ids)-1]); err != nil {
		t.Fatalf("update %d handled but never confirmed to Telegram: %v", ids[len(ids)-1], err)
	}
	if n := srv.Requests("getUpdates"); n != 0 {
		t.Errorf("%d getUpdates with a webhook, want none", n)
	}
}

// Ensure that the webhook takes updates from Telegram only: a request
// without the secret, or with another one, is refused and changes
// nothing; and that an update pushed again, handled or not yet, is
// handled once.
func TestWebhook_SecretAndPushedAgain(t *testing.T) {
	srv := telegramtest.NewServer(senderToken)
	t.Cleanup(srv.Close)
	db := openTestDB(t)
	c, url := newWebhookClient(t, db, srv)
	handled, _ := serve(t, c, db)

	raw := textUpdate(900, 77, "halo")
	for _, secret := range []string{"", "not-the-secret", webhookSecret(senderToken + "x")} {
		if got := postUpdate(t, url, secret, raw); got != http.StatusUnauthorized {
			t.Errorf("push with secret %q answered %d, want 401", secret, got)
		}
	}
	if js, err := db.Journaled(); err != nil || len(js) != 0 {
		t.Fatalf("journal after refused pushes: %v, %v; want empty", js, err)
	}
	secret := webhookSecret(senderToken)
	if got := postUpdate(t, url, secret, raw); got != http.StatusOK {
		t.Fatalf("push answered %d, want 200", got)
	}
	waitHandled(t, handled, 900)
	// Telegram pushes again what it had no answer for: once handled, the
	// same update is answered 200 and not handled again.
	if got := postUpdate(t, url, secret, raw); got != http.StatusOK {
		t.Errorf("push again answered %d, want 200", got)
	}
	if got := postUpdate(t, url, secret, textUpdate(901, 77, "lagi")); got != http.StatusOK {
		t.Errorf("next push answered %d, want 200", got)
	}
	nextHandled(t, handled, 901)
	for _, bad := range []struct {
		method, body string
		want         int
	}{
		{http.MethodGet, "", http.StatusMethodNotAllowed},
		{http.MethodPost, `{"message":{}}`, http.StatusOK}, // no update_id: skipped, never pushed again
	} {
		req, _ := http.NewRequest(bad.method, url, strings.NewReader(bad.body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != bad.want {
			t.Errorf("%s %q answered %d, want %d", bad.method, bad.body, resp.StatusCode, bad.want)
		}
	}
}

// Ensure that an update journaled from a push but not handled when the
// bot stopped is handled at the next start, and pushed again then, once.
func TestWebhook_UnhandledAfterRestart(t *testing.T) {
	srv := telegramtest.NewServer(senderToken)
	t.Cleanup(srv.Close)
	db := openTestDB(t)
	raw := textUpdate(700, 8, "belum")
	// As the journal leaves it when the bot is killed after answering the
	// push and before handling it.
	if _, err := db.JournalPushedThen([]store.Update{{ID: 700, Raw: raw}}, nil, time.Now().Add(-store.PushedKeep), nil); err != nil {
		t.Fatal(err)
	}
	c, url := newWebhookClient(t, db, srv)
	handled, _ := serve(t, c, db)
	waitHandled(t, handled, 700)
	if got := postUpdate(t, url, webhookSecret(senderToken), raw); got != http.StatusOK {
		t.Errorf("push again answered %d, want 200", got)
	}
	if got := postUpdate(t, url, webhookSecret(senderToken), textUpdate(701, 8, "baru")); got != http.StatusOK {
		t.Errorf("next push answered %d, want 200", got)
	}
	nextHandled(t, handled, 701)
}

// Ensure that Run says why when it cannot listen on the webhook's address.
func TestWebhook_ListenFails(t *testing.T) {
	srv := telegramtest.NewServer(senderToken)
	t.Cleanup(srv.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c := New(openTestDB(t), Options{Token: senderToken, APIURL: srv.URL(), Webhook: Webhook{URL: "http://" + ln.Addr().String() + "/tg", Listen: ln.Addr().String()}})
	err = runToError(t, c)
	if err == nil || !strings.Contains(err.Error(), "webhook") || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("Run = %v, want an error naming the webhook and the address in use", err)
	}
}

// callAPI calls a Bot API method of srv directly, as another program with
// the token would, and returns the answer's result.
func callAPI(t *testing.T, srv *telegramtest.Server, method, body string) json.RawMessage {
	t.Helper()
	resp, err := http.Post(srv.URL()+"/bot"+senderToken+"/"+method, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		OK          bool            `json:"ok"`
		Result      json.RawMessage `json:"result"`
		Description string          `json:"description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || !r.OK {
		t.Fatalf("%s: %v %s", method, err, r.Description)
	}
	return r.Result
}

// Ensure that polling removes a webhook an earlier run left (getUpdates
// answers 409 while it is set) and then gets the updates Telegram kept,
// without taking the webhook for a second process.
func TestPoll_RemovesWebhook(t *testing.T) {
	c, srv, db := newTestClient(t, nil)
	callAPI(t, srv, "setWebhook", `{"url":"http://127.0.0.1:9/gone","secret_token":"x"}`)
	rina := telegramtest.User{ID: 5, FirstName: "Rina"}
	id := srv.SendText(rina, "halo")
	handled, done := serve(t, c, db)
	select {
	case got := <-handled:
		if got != id {
			t.Fatalf("handled update %d, want %d", got, id)
		}
	case err := <-done:
		t.Fatalf("Run = %v before handling the update kept meanwhile", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the update kept while a webhook was set was never handled")
	}
	var info struct {
		URL string `json:"url"`
	}
	if err := json.Unmarshal(callAPI(t, srv, "getWebhookInfo", `{}`), &info); err != nil || info.URL != "" {
		t.Errorf("webhook after polling started: %q, %v; want none", info.URL, err)
	}
	if n := srv.Requests("deleteWebhook"); n != 1 {
		t.Errorf("%d deleteWebhook, want 1", n)
	}
}

// Ensure that Run stops with Telegram's reason when Telegram refuses the
// webhook's address, instead of retrying for ever.
func TestWebhook_Refused(t *testing.T) {
	srv := telegramtest.NewServer(senderToken)
	t.Cleanup(srv.Close)
	addr := freeAddr(t)
	c := New(openTestDB(t), Options{Token: senderToken, APIURL: srv.URL(), Webhook: Webhook{URL: "ftp://" + addr + "/tg", Listen: addr}})
	err := runToError(t, c)
	if err == nil || !strings.Contains(err.Error(), "telegram refused the webhook ftp://"+addr+"/tg") || !strings.Contains(err.Error(), "bad webhook") {
		t.Errorf("Run = %v, want Telegram's refusal of the webhook", err)
	}
}

// Ensure that refused requests are told of once a minute, with how many
// came meanwhile.
func TestEveryMinute(t *testing.T) {
	var e everyMinute
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	steps := []struct {
		at   time.Duration
		n    int
		tell bool
	}{
		{0, 1, true},
		{time.Second, 0, false},
		{59 * time.Second, 0, false},
		{time.Minute, 3, true},
		{time.Minute + time.Second, 0, false},
		{5 * time.Minute, 2, true},
	}
	for _, st := range steps {
		n, tell := e.tick(t0.Add(st.at))
		if n != st.n || tell != st.tell {
			t.Errorf("tick at %v = %d, %v; want %d, %v", st.at, n, tell, st.n, st.tell)
		}
	}
}

// Ensure that Run stops at once, naming the file, when the webhook's
// certificate cannot be read.
func TestWebhook_CertificateMissing(t *testing.T) {
	srv := telegramtest.NewServer(senderToken)
	t.Cleanup(srv.Close)
	addr := freeAddr(t)
	missing := filepath.Join(t.TempDir(), "webhook.crt")
	c := New(openTestDB(t), Options{Token: senderToken, APIURL: srv.URL(), Webhook: Webhook{
		URL: "https://" + addr + "/tg", Listen: addr, CertFile: missing, KeyFile: missing + ".key"}})
	err := runToError(t, c)
	if err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("Run = %v, want an error naming %s", err, missing)
	}
}

// Ensure that with a certificate of its own the webhook serves HTTPS and
// takes pushes over it.
func TestWebhook_TLS(t *testing.T) {
	srv := telegramtest.NewServer(senderToken)
	t.Cleanup(srv.Close)
	db := openTestDB(t)
	addr := freeAddr(t)
	dir := t.TempDir()
	certPEM, keyPEM, pool, err := telegramtest.SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, "webhook.crt"), filepath.Join(dir, "webhook.key")
	for name, data := range map[string][]byte{certFile: certPEM, keyFile: keyPEM} {
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	url := "https://" + addr + "/tg"
	c := New(db, Options{Token: senderToken, APIURL: srv.URL(), Webhook: Webhook{URL: url, Listen: addr, CertFile: certFile, KeyFile: keyFile}})
	handled, _ := serve(t, c, db)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	deadline := time.Now().Add(10 * time.Second)
	for {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(textUpdate(500, 9, "aman")))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", webhookSecret(senderToken))
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("push over HTTPS answered %d, want 200", resp.StatusCode)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("push over HTTPS: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	nextHandled(t, handled, 500)
	// Plain HTTP to the TLS port is no way in.
	if resp, err := http.Post("http://"+addr+"/tg", "application/json", bytes.NewReader(textUpdate(501, 9, "x"))); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("a plain HTTP push to the HTTPS webhook was taken")
		}
	}
}
