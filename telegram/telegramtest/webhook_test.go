package telegramtest_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/daftar-bot/daftar/telegram/telegramtest"
)

const conflict = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"

// delivery is one request the fake server made to a webhook.
type delivery struct {
	Update      update
	Raw         []byte
	Secret      string
	ContentType string
	At          time.Time // when it arrived, before it was answered
}

// receiver is a bot's webhook on 127.0.0.1. Every delivery is sent on got,
// then answered by answer, or with 200 when answer is nil. quit is closed
// when the test ends, before the receiver is closed. An answer that
// blocks selects on the request's context: the fake server, started after
// the receiver, is closed before it and so cancels the request.
type receiver struct {
	*httptest.Server
	got  chan delivery
	quit chan struct{}
}

func mustReceiver(tb testing.TB, answer func(w http.ResponseWriter, r *http.Request, d delivery)) *receiver {
	tb.Helper()
	rc := &receiver{got: make(chan delivery, 100), quit: make(chan struct{})}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		d := delivery{
			Raw:         body,
			Secret:      r.Header.Get("X-Telegram-Bot-Api-Secret-Token"),
			ContentType: r.Header.Get("Content-Type"),
			At:          time.Now(),
		}
		json.Unmarshal(body, &d.Update)
		select {
		case rc.got <- d:
		case <-rc.quit:
			return
		}
		if answer != nil {
			answer(w, r, d)
		}
	}))
	tb.Cleanup(func() {
		close(rc.quit)
		rc.Close()
	})
	return rc
}

// next returns the next delivery to rc, failing the test when none comes
// before ctx ends.
func (rc *receiver) next(tb testing.TB, ctx context.Context) delivery {
	tb.Helper()
	select {
	case d := <-rc.got:
		return d
	case <-ctx.Done():
		tb.Fatalf("no delivery: %v", ctx.Err())
		return delivery{}
	}
}

// answerStatus answers every delivery with status.
func answerStatus(status int) func(http.ResponseWriter, *http.Request, delivery) {
	return func(w http.ResponseWriter, _ *http.Request, _ delivery) { w.WriteHeader(status) }
}

// webhookInfo is getWebhookInfo's result.
type webhookInfo struct {
	URL                  string   `json:"url"`
	HasCustomCertificate bool     `json:"has_custom_certificate"`
	PendingUpdateCount   int      `json:"pending_update_count"`
	MaxConnections       int      `json:"max_connections"`
	AllowedUpdates       []string `json:"allowed_updates"`
	LastErrorDate        int64    `json:"last_error_date"`
	LastErrorMessage     string   `json:"last_error_message"`
}

func getWebhookInfo(tb testing.TB, s *telegramtest.Server) webhookInfo {
	tb.Helper()
	var info webhookInfo
	mustOK(tb, call(tb, s, "getWebhookInfo", nil), &info)
	return info
}

func testContext(tb testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	tb.Cleanup(cancel)
	return ctx
}

// Ensure that a queued update is POSTed to the webhook as the JSON
// getUpdates returns for it, with the secret, and that a 200 confirms it.
func TestWebhook_Delivery(t *testing.T) {
	ctx := testContext(t)
	rc := mustReceiver(t, nil)
	s := mustServer(t)
	id := s.SendText(ann, "halo")
	r := call(t, s, "getWebhookInfo", nil)
	if want := `{"has_custom_certificate":false,"pending_update_count":1,"url":""}`; string(r.Result) != want {
		t.Fatalf("getWebhookInfo without a webhook = %s, want %s", r.Result, want)
	}
	var polled []json.RawMessage
	mustOK(t, call(t, s, "getUpdates", nil), &polled)

	mustOK(t, call(t, s, "setWebhook", map[string]string{"url": rc.URL, "secret_token": "s3cret_-X"}), nil)
	d := rc.next(t, ctx)
	if d.Update.UpdateID != id || d.Update.Message == nil || d.Update.Message.Text != "halo" {
		t.Fatalf("delivered %s", d.Raw)
	}
	if len(polled) != 1 || string(d.Raw) != string(polled[0]) {
		t.Fatalf("delivered %s, getUpdates gave %s", d.Raw, polled)
	}
	if d.Secret != "s3cret_-X" || d.ContentType != "application/json" {
		t.Fatalf("secret %q, content type %q", d.Secret, d.ContentType)
	}
	if err := s.WaitConfirmed(ctx, id); err != nil {
		t.Fatalf("update not confirmed after a 200: %v", err)
	}
	if s.Pending() != 0 {
		t.Fatalf("Pending = %d after the delivery", s.Pending())
	}
	info := getWebhookInfo(t, s)
	want := webhookInfo{URL: rc.URL, MaxConnections: 40}
	if info.URL != want.URL || info.PendingUpdateCount != 0 || info.MaxConnections != 40 || info.HasCustomCertificate ||
		info.AllowedUpdates != nil || info.LastErrorDate != 0 || info.LastErrorMessage != "" {
		t.Fatalf("getWebhookInfo = %+v, want %+v", info, want)
	}
	if ok, failed := s.Deliveries(); ok != 1 || failed != 0 {
		t.Fatalf("Deliveries = %d ok, %d failed", ok, failed)
	}

	t.Run("new updates come without a request", func(t *testing.T) {
		id := s.SendText(ann, "lagi")
		if d := rc.next(t, ctx); d.Update.UpdateID != id {
			t.Fatalf("delivered %s, want update %d", d.Raw, id)
		}
	})
}

// Ensure that getUpdates answers 409 while a webhook is set, a waiting long
// poll too, and that after deleteWebhook it gets what the failing webhook
// did not take.
func TestWebhook_GetUpdatesConflict(t *testing.T) {
	ctx := testContext(t)
	rc := mustReceiver(t, answerStatus(http.StatusInternalServerError))
	s := mustServer(t)
	s.SetWebhookRetry(10*time.Millisecond, 20*time.Millisecond, 0)

	polling := async(s, "getUpdates", url.Values{"timeout": {"30"}})
	if err := s.WaitRequests(ctx, "getUpdates", 1); err != nil {
		t.Fatal(err)
	}
	mustOK(t, call(t, s, "setWebhook", map[string]string{"url": rc.URL}), nil)
	select {
	case r := <-polling:
		if r.Status != http.StatusConflict || r.Description != conflict {
			t.Fatalf("waiting long poll answered %d %q", r.Status, r.Description)
		}
	case <-ctx.Done():
		t.Fatal("the waiting long poll did not end")
	}

	first, second := s.SendText(ann, "satu"), s.SendText(ann, "dua")
	if err := s.WaitDeliveries(ctx, 0, 1); err != nil {
		t.Fatal(err)
	}
	r := call(t, s, "getUpdates", nil)
	if r.Status != http.StatusConflict || r.Description != conflict {
		t.Fatalf("getUpdates answered %d %q", r.Status, r.Description)
	}
	info := getWebhookInfo(t, s)
	if info.PendingUpdateCount != 2 || info.LastErrorDate == 0 ||
		info.LastErrorMessage != "Wrong response from the webhook: 500 Internal Server Error" {
		t.Fatalf("getWebhookInfo = %+v", info)
	}

	mustOK(t, call(t, s, "deleteWebhook", nil), nil)
	ok, failed := s.Deliveries()
	ups := getUpdates(t, s, nil)
	if len(ups) != 2 || ups[0].UpdateID != first || ups[1].UpdateID != second {
		t.Fatalf("getUpdates after deleteWebhook = %+v", ups)
	}
	if ok2, failed2 := s.Deliveries(); ok2 != ok || failed2 != failed {
		t.Fatalf("deliveries went on after deleteWebhook: %d/%d, then %d/%d", ok, failed, ok2, failed2)
	}
	if info := getWebhookInfo(t, s); info.URL != "" || info.LastErrorMessage != "" || info.PendingUpdateCount != 2 {
		t.Fatalf("getWebhookInfo after deleteWebhook = %+v", info)
	}
}

// Ensure that a failed delivery is retried with the same update until it
// is answered 2xx, and that getWebhookInfo says why it failed.
func TestWebhook_Retry(t *testing.T) {
	ctx := testContext(t)
	var attempts atomic.Int32
	rc := mustReceiver(t, func(w http.ResponseWriter, _ *http.Request, _ delivery) {
		if attempts.Add(1) == 1 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	})
	s := mustServer(t)
	s.SetWebhookRetry(10*time.Millisecond, 50*time.Millisecond, 0)
	mustOK(t, call(t, s, "setWebhook", map[string]string{"url": rc.URL}), nil)
	id := s.SendText(ann, "halo")
	if d := rc.next(t, ctx); d.Update.UpdateID != id {
		t.Fatalf("first attempt delivered %s", d.Raw)
	}
	if d := rc.next(t, ctx); d.Update.UpdateID != id {
		t.Fatalf("retry delivered %s, want update %d again", d.Raw, id)
	}
	if err := s.WaitConfirmed(ctx, id); err != nil {
		t.Fatal(err)
	}
	if ok, failed := s.Deliveries(); ok != 1 || failed != 1 {
		t.Fatalf("Deliveries = %d ok, %d failed; want 1, 1", ok, failed)
	}
	if info := getWebhookInfo(t, s); info.LastErrorMessage != "Wrong response from the webhook: 500 Internal Server Error" || info.LastErrorDate == 0 {
		t.Fatalf("getWebhookInfo = %+v", info)
	}
}

// Ensure that every way a delivery fails is recorded in Telegram's words.
func TestWebhook_Failures(t *testing.T) {
	refused := func(tb testing.TB) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		return "http://" + addr + "/hook"
	}
	for _, tc := range []struct {
		name   string
		answer func(http.ResponseWriter, *http.Request, delivery)
		url    func(testing.TB) string // instead of the receiver's
		want   string
	}{
		{name: "error status", answer: answerStatus(http.StatusBadGateway), want: "Wrong response from the webhook: 502 Bad Gateway"},
		{name: "redirect", answer: func(w http.ResponseWriter, r *http.Request, _ delivery) {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}, want: "Wrong response from the webhook: 302 Found"},
		{name: "no answer in time", answer: func(_ http.ResponseWriter, r *http.Request, _ delivery) {
			<-r.Context().Done()
		}, want: "Read timeout expired"},
		{name: "connection closed", answer: func(w http.ResponseWriter, _ *http.Request, _ delivery) {
			c, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				c.Close()
			}
		}, want: "Connection reset by peer"},
		{name: "connection refused", url: refused, want: "Connection refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := testContext(t)
			rc := mustReceiver(t, tc.answer)
			s := mustServer(t)
			s.SetWebhookRetry(time.Second, time.Second, 100*time.Millisecond)
			hook := rc.URL
			if tc.url != nil {
				hook = tc.url(t)
			}
			mustOK(t, call(t, s, "setWebhook", map[string]string{"url": hook}), nil)
			s.SendText(ann, "halo")
			if err := s.WaitDeliveries(ctx, 0, 1); err != nil {
				t.Fatal(err)
			}
			if info := getWebhookInfo(t, s); info.LastErrorMessage != tc.want || info.PendingUpdateCount != 1 {
				t.Fatalf("getWebhookInfo = %+v, want last_error_message %q", info, tc.want)
			}
		})
	}
}

// Ensure that the updates of one chat wait for its earlier ones to be
// answered, while other chats' updates and updates of no chat go on.
func TestWebhook_ChatOrder(t *testing.T) {
	ctx := testContext(t)
	releaseA := make(chan struct{})
	rc := mustReceiver(t, func(_ http.ResponseWriter, r *http.Request, d delivery) {
		if m := d.Update.Message; m != nil && m.Text == "a1" {
			select {
			case <-releaseA:
			case <-r.Context().Done():
			}
		}
	})
	s := mustServer(t)
	mustOK(t, call(t, s, "setWebhook", map[string]string{"url": rc.URL}), nil)
	bob := telegramtest.User{ID: 2002, FirstName: "Bob"}
	a1 := s.SendText(ann, "a1")
	a2 := s.SendText(ann, "a2")
	a3 := s.Callback(ann, 1, "pilih") // a callback query in Ann's chat
	b1 := s.SendText(bob, "b1")
	other := s.InjectUpdate(json.RawMessage(`{"poll":{"id":"p1"}}`)) // in no chat

	got := map[int64]bool{}
	for range 3 {
		got[rc.next(t, ctx).Update.UpdateID] = true
	}
	if !got[a1] || !got[b1] || !got[other] {
		t.Fatalf("while a1 is unanswered got %v, want a1 %d, b1 %d and the poll %d", got, a1, b1, other)
	}
	select {
	case d := <-rc.got:
		t.Fatalf("delivered %s while Ann's first update is unanswered", d.Raw)
	default:
	}
	if s.Confirmed(a1) || s.Confirmed(a2) {
		t.Fatal("Ann's updates confirmed before they were answered")
	}
	close(releaseA)
	for _, want := range []int64{a2, a3} {
		if d := rc.next(t, ctx); d.Update.UpdateID != want {
			t.Fatalf("delivered %s, want update %d", d.Raw, want)
		}
	}
	for _, id := range []int64{a1, a2, a3, b1, other} {
		if err := s.WaitConfirmed(ctx, id); err != nil {
			t.Fatalf("update %d: %v", id, err)
		}
	}
	if s.Pending() != 0 {
		t.Fatalf("Pending = %d", s.Pending())
	}
}

// Ensure that no more than max_connections deliveries are in flight.
func TestWebhook_MaxConnections(t *testing.T) {
	ctx := testContext(t)
	var inFlight, most atomic.Int32
	release := make(chan struct{})
	rc := mustReceiver(t, func(_ http.ResponseWriter, r *http.Request, _ delivery) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	s := mustServer(t)
	// Queued before the webhook is set, the updates are all there for its
	// first look at the queue: a server ignoring the limit starts them all
	// at once.
	const chats = 5
	for i := range chats {
		s.SendText(telegramtest.User{ID: int64(3000 + i), FirstName: "U"}, "halo")
	}
	mustOK(t, call(t, s, "setWebhook", map[string]string{"url": rc.URL, "max_connections": "2"}), nil)
	rc.next(t, ctx)
	rc.next(t, ctx)
	// A delivery over the limit would already be on its way: it is given
	// time to arrive. A correct server passes however short the wait is.
	select {
	case d := <-rc.got:
		t.Fatalf("delivered %s while two deliveries are unanswered", d.Raw)
	case <-time.After(100 * time.Millisecond):
	}
	for range chats - 2 {
		release <- struct{}{}
		rc.next(t, ctx)
	}
	close(release)
	if err := s.WaitDeliveries(ctx, chats, 0); err != nil {
		t.Fatal(err)
	}
	if m := most.Load(); m != 2 {
		t.Fatalf("at most %d deliveries were in flight at once, want 2", m)
	}
	if info := getWebhookInfo(t, s); info.MaxConnections != 2 {
		t.Fatalf("getWebhookInfo = %+v", info)
	}
}

// Ensure that drop_pending_updates forgets the queued updates, and that
// without it they stay.
func TestWebhook_DropPending(t *testing.T) {
	for _, tc := range []struct {
		method string
		drop   bool
	}{
		{"setWebhook", true},
		{"setWebhook", false},
		{"deleteWebhook", true},
		{"deleteWebhook", false},
	} {
		t.Run(tc.method+" drop "+strconv.FormatBool(tc.drop), func(t *testing.T) {
			ctx := testContext(t)
			rc := mustReceiver(t, answerStatus(http.StatusServiceUnavailable))
			s := mustServer(t)
			params := map[string]string{"url": rc.URL, "drop_pending_updates": strconv.FormatBool(tc.drop)}
			if tc.method == "deleteWebhook" {
				mustOK(t, call(t, s, "setWebhook", map[string]string{"url": rc.URL}), nil)
				delete(params, "url")
			}
			first := s.SendText(ann, "satu")
			s.SendText(ann, "dua")
			mustOK(t, call(t, s, tc.method, params), nil)
			want := 2
			if tc.drop {
				want = 0
			}
			if s.Pending() != want || s.Confirmed(first) != tc.drop {
				t.Fatalf("Pending = %d, Confirmed(first) = %v after %s", s.Pending(), s.Confirmed(first), tc.method)
			}
			if tc.method == "deleteWebhook" {
				if ups := getUpdates(t, s, nil); len(ups) != want {
					t.Fatalf("getUpdates = %+v, want %d updates", ups, want)
				}
				return
			}
			// The webhook gets the oldest update first: with the queue
			// dropped, that is one sent after setWebhook.
			later := s.SendText(ann, "tiga")
			wantFirst := first
			if tc.drop {
				wantFirst = later
			}
			if d := rc.next(t, ctx); d.Update.UpdateID != wantFirst {
				t.Fatalf("first delivery %s, want update %d", d.Raw, wantFirst)
			}
		})
	}
}

// Ensure that setWebhook checks its parameters as Telegram does.
func TestWebhook_SetWebhookParameters(t *testing.T) {
	s := mustServer(t)
	const hook = "http://127.0.0.1:9/hook" // the discard port: nothing answers
	for _, tc := range []struct {
		name   string
		params map[string]string
		code   int    // 0 for success
		prefix string // of the error's description
		check  func(webhookInfo) bool
	}{
		{name: "defaults", params: map[string]string{"url": hook},
			check: func(i webhookInfo) bool { return i.URL == hook && i.MaxConnections == 40 && i.AllowedUpdates == nil }},
		{name: "all set", params: map[string]string{
			"url": hook, "secret_token": strings.Repeat("a", 256), "max_connections": "100", "allowed_updates": `["message","callback_query"]`,
		}, check: func(i webhookInfo) bool {
			return i.MaxConnections == 100 && len(i.AllowedUpdates) == 2 && i.AllowedUpdates[1] == "callback_query"
		}},
		{name: "one connection", params: map[string]string{"url": hook, "max_connections": "1"},
			check: func(i webhookInfo) bool { return i.MaxConnections == 1 }},
		{name: "secret with a space", params: map[string]string{"url": hook, "secret_token": "not secret"},
			code: 400, prefix: "Bad Request: secret token contains unallowed characters"},
		{name: "secret too long", params: map[string]string{"url": hook, "secret_token": strings.Repeat("a", 257)},
			code: 400, prefix: "Bad Request: secret token contains unallowed characters"},
		{name: "no connections", params: map[string]string{"url": hook, "max_connections": "0"},
			code: 400, prefix: "Bad Request: bad webhook: "},
		{name: "too many connections", params: map[string]string{"url": hook, "max_connections": "101"},
			code: 400, prefix: "Bad Request: bad webhook: "},
		{name: "not a number", params: map[string]string{"url": hook, "max_connections": "many"},
			code: 400, prefix: "Bad Request: invalid max_connections"},
		{name: "not HTTP", params: map[string]string{"url": "ftp://127.0.0.1/hook"},
			code: 400, prefix: "Bad Request: bad webhook: "},
		{name: "no host", params: map[string]string{"url": "http:///hook"},
			code: 400, prefix: "Bad Request: bad webhook: "},
		{name: "allowed updates not JSON", params: map[string]string{"url": hook, "allowed_updates": "message"},
			code: 400, prefix: "Bad Request: can't parse allowed updates"},
		{name: "empty url deletes", params: map[string]string{"url": ""},
			check: func(i webhookInfo) bool { return i.URL == "" && i.MaxConnections == 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, s, "setWebhook", tc.params)
			if tc.code != 0 {
				mustFail(t, r, tc.code, tc.prefix)
				return
			}
			mustOK(t, r, nil)
			if info := getWebhookInfo(t, s); !tc.check(info) {
				t.Fatalf("getWebhookInfo = %+v", info)
			}
		})
	}
}

// Ensure that with SetLatency an update reaches the webhook no sooner than
// half the round trip after it was queued, and its answer counts no
// sooner than half of it after it was given.
func TestWebhook_Latency(t *testing.T) {
	ctx := testContext(t)
	rc := mustReceiver(t, nil)
	s := mustServer(t)
	mustOK(t, call(t, s, "setWebhook", map[string]string{"url": rc.URL}), nil)
	const d = 200 * time.Millisecond
	s.SetLatency(d)
	start := time.Now()
	id := s.SendText(ann, "halo")
	got := rc.next(t, ctx)
	if took := got.At.Sub(start); took < d/2 {
		t.Fatalf("delivered %v after it was queued, want at least %v", took, d/2)
	}
	if err := s.WaitConfirmed(ctx, id); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(got.At); took < d/2 {
		t.Fatalf("confirmed %v after the webhook got it, want at least %v", took, d/2)
	}
}

// Ensure that Close returns while deliveries wait for a webhook that never
// answers, and leaves none of the server's goroutines behind.
func TestWebhook_Close(t *testing.T) {
	ctx := testContext(t)
	rc := mustReceiver(t, func(_ http.ResponseWriter, r *http.Request, _ delivery) {
		<-r.Context().Done()
	})
	s := telegramtest.NewServer(token)
	t.Cleanup(s.Close) // when the test fails before it closes s
	mustOK(t, call(t, s, "setWebhook", map[string]string{"url": rc.URL}), nil)
	for i := range 3 {
		s.SendText(telegramtest.User{ID: int64(4000 + i), FirstName: "U"}, "halo")
	}
	for range 3 {
		rc.next(t, ctx)
	}
	closed := make(chan struct{})
	go func() {
		s.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-ctx.Done():
		t.Fatal("Close did not return")
	}
	http.DefaultClient.CloseIdleConnections()
	checkNoGoroutines(t, ctx)
}

// checkNoGoroutines fails the test unless, before ctx ends, no goroutine
// runs code of package telegramtest and no HTTP client connection is left
// (the fake's delivery connections are net/http's goroutines). A goroutine
// that ends is no event a test can wait for, so this looks again and again,
// as go.uber.org/goleak does.
func checkNoGoroutines(tb testing.TB, ctx context.Context) {
	tb.Helper()
	var left []string
	for {
		left = left[:0]
		buf := make([]byte, 1<<20)
		for {
			n := runtime.Stack(buf, true)
			if n < len(buf) {
				buf = buf[:n]
				break
			}
			buf = make([]byte, 2*len(buf))
		}
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "/telegram/telegramtest.") || strings.Contains(g, "net/http.(*persistConn)") {
				left = append(left, g)
			}
		}
		if len(left) == 0 {
			return
		}
		select {
		case <-ctx.Done():
			tb.Fatalf("%d goroutines left:\n\n%s", len(left), strings.Join(left, "\n\n"))
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Ensure that SelfSigned's certificate serves TLS that a client trusting
// its pool accepts, for an IP address and for a name.
func TestSelfSigned(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "localhost"} {
		certPEM, keyPEM, roots, err := telegramtest.SelfSigned(host)
		if err != nil {
			t.Fatal(err)
		}
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			t.Fatalf("%s: the certificate and key do not go together: %v", host, err)
		}
		leaf, err := x509.ParseCertificate(cert.Certificate[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots}); err != nil {
			t.Errorf("%s: not trusted through its pool: %v", host, err)
		}
	}
}
