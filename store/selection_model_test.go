package store_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/daftar-bot/daftar/store"
)

// The waiting-list model's share of selection (applications, decisions,
// results, the selected confirming their seats) and of "still coming?"
// (asks, answers, unanswered asks expiring): TestWaitingList_Model runs
// these ops beside the waiting list's own.

// wlAdmission is the model's state of selection and "still coming?".
type wlAdmission struct {
	sent      bool // the results went out
	order     int  // decisions made so far
	decisions map[int64]wlDecision
	asked     map[int64]*wlAsked
}

type wlDecision struct {
	status store.Status
	order  int
}

type wlAsked struct {
	askedAt, until time.Time
	answer         string
	expired        bool
}

func newWlAdmission() *wlAdmission {
	return &wlAdmission{decisions: map[int64]wlDecision{}, asked: map[int64]*wlAsked{}}
}

// forget drops what the store deletes with an erased person.
func (in *wlAdmission) forget(u int64) {
	delete(in.decisions, u)
	delete(in.asked, u)
}

// apply is TakeSeat on a selection batch until its results: done is
// false when the batch is first come (or, after the results, first come
// for what is left) and register goes on as on any batch.
func (m *wlModel) apply(u int64, now time.Time) (done bool, err error) {
	if !m.seats.Batch.Admission.Selection {
		return false, nil
	}
	switch m.status[u] {
	case store.StatusApplied:
		return true, store.ErrAlreadyApplied
	case store.StatusSelected, store.StatusReserve:
		return true, store.ErrAlreadyRegistered
	}
	if m.adm.sent {
		return false, nil
	}
	if !now.Before(m.sessionStart) {
		return true, store.ErrBatchStarted
	}
	if m.closed {
		return true, store.ErrBatchClosed
	}
	if err := m.intakeErr(u, "b", m.in.nik[u]); err != nil {
		return true, err
	}
	m.status[u], m.regAt[u] = store.StatusApplied, wlNow
	m.registeredNIK(u)
	delete(m.adm.decisions, u)
	return true, nil
}

// handsOn reports whether the batch offers and gives the seats that come
// free: while open, and on a selection batch after its results, which
// /tutup does not undo.
func (m *wlModel) handsOn() bool {
	return !m.closed || m.seats.Batch.Admission.Selection && m.adm.sent
}

// usersIn returns the users the model knows, in id order (the store's key
// order).
func (m *wlModel) usersIn(status ...store.Status) []int64 {
	var out []int64
	for u, st := range m.status {
		if len(status) == 0 || slices.Contains(status, st) {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out
}

func (m *wlModel) decide(u int64, st store.Status, now time.Time) error {
	in := m.adm
	switch {
	case !m.seats.Batch.Admission.Selection:
		return store.ErrNotSelection
	case in.sent:
		return store.ErrResultsSent
	case m.status[u] != store.StatusApplied:
		return store.ErrNotApplicant
	case in.decisions[u].status == st:
		return nil
	}
	if st == store.StatusSelected {
		n := 0
		for _, a := range m.usersIn(store.StatusApplied) {
			if in.decisions[a].status == store.StatusSelected {
				n++
			}
		}
		if n >= m.seats.Batch.Capacity-m.taken()-len(m.offers) {
			return store.ErrSelectionFull
		}
	}
	in.order++
	in.decisions[u] = wlDecision{status: st, order: in.order}
	return nil
}

func (m *wlModel) send(now time.Time) ([]wlModelOffer, error) {
	in := m.adm
	switch {
	case !m.seats.Batch.Admission.Selection:
		return nil, store.ErrNotSelection
	case in.sent:
		return nil, store.ErrResultsSent
	case !now.Before(m.sessionStart):
		return nil, store.ErrBatchStarted
	}
	selected := 0
	for _, u := range m.usersIn(store.StatusApplied) {
		if in.decisions[u].status == store.StatusSelected {
			selected++
		}
	}
	// The staff's seats (walk-ins, moves) may have filled what the
	// decisions counted on.
	if selected > m.seats.Batch.Capacity-m.taken()-len(m.offers) {
		return nil, store.ErrSelectionFull
	}
	until := now.Add(m.seats.Batch.Admission.ConfirmWindow)
	if until.After(m.sessionStart) {
		until = m.sessionStart
	}
	var reserves []int64
	for _, u := range m.usersIn(store.StatusApplied) { // every application registered at wlNow: by user id
		switch in.decisions[u].status {
		case store.StatusSelected:
			m.status[u] = store.StatusSelected
			m.waiting = append(m.waiting, u)
			m.offers = append(m.offers, wlModelOffer{user: u, until: until, kind: store.OfferSelected})
		case store.StatusReserve:
			reserves = append(reserves, u)
		default:
			m.status[u] = store.StatusNotSelected
		}
	}
	sort.SliceStable(reserves, func(i, j int) bool { return in.decisions[reserves[i]].order < in.decisions[reserves[j]].order })
	for _, u := range reserves {
		m.status[u] = store.StatusReserve
		m.waiting = append(m.waiting, u)
	}
	in.decisions = map[int64]wlDecision{}
	in.sent = true
	return m.offerFreed(now), nil
}

func (m *wlModel) ask(now time.Time) int {
	b := m.seats.Batch
	at := m.sessionStart.AddDate(0, 0, -b.Admission.AskDaysBefore)
	if b.Admission.Selection || b.Admission.AskDaysBefore <= 0 || now.Before(at) || !now.Before(m.sessionStart) {
		return 0
	}
	until := now.Add(b.Admission.ConfirmWindow)
	if until.After(m.sessionStart) {
		until = m.sessionStart
	}
	n := 0
	for _, u := range m.usersIn(store.StatusRegistered) {
		// A walk-in is not asked: no chat to ask in, until claimed.
		if m.adm.asked[u] == nil && m.regAt[u].Before(at) && !store.IsWalkIn(u) {
			m.adm.asked[u] = &wlAsked{askedAt: now, until: until}
			n++
		}
	}
	return n
}

func (m *wlModel) answer(u int64, coming bool, now time.Time) ([]wlModelOffer, error) {
	a := m.adm.asked[u]
	if a == nil || m.status[u] != store.StatusRegistered || !m.regAt[u].Before(a.askedAt) {
		return nil, store.ErrNotAsked
	}
	a.answer = store.AnswerComing
	if coming {
		return nil, nil
	}
	a.answer = store.AnswerNotComing
	return m.cancel(u, now)
}

func (m *wlModel) expireAsks(now time.Time) (int, []wlModelOffer) {
	var made []wlModelOffer
	n := 0
	for _, u := range slices.Sorted(mapKeys(m.adm.asked)) {
		a := m.adm.asked[u]
		if a.answer != "" || a.expired || now.Before(a.until) {
			continue
		}
		a.expired = true
		n++
		if !m.seats.Batch.Admission.Release || m.status[u] != store.StatusRegistered {
			continue
		}
		offers, _ := m.cancel(u, now)
		made = append(made, offers...)
		key := fmt.Sprintf("unconfirmed-released/%s/%d", m.seats.Batch.ID, u)
		m.notices[key] = store.OutboxEntry{Key: key, Kind: store.KindNotice, UserID: u, ChatID: wlChat(u),
			Data: map[string]string{"notice": "unconfirmed_released", "batch": m.seats.Batch.ID}}
	}
	return n, made
}

// unconfirmed is who the organisers see flagged: asked, silent past the
// window, still seated.
func (m *wlModel) unconfirmed() map[int64]bool {
	out := map[int64]bool{}
	for u, a := range m.adm.asked {
		if a.expired && a.answer == "" && m.status[u] == store.StatusRegistered && m.regAt[u].Before(a.askedAt) {
			out[u] = true
		}
	}
	return out
}

func mapKeys[V any](m map[int64]V) func(func(int64) bool) {
	return func(yield func(int64) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// admissionOps are the model test's steps of selection and "still coming?".
// On a batch without them they are mostly refused, which is checked too.
func (r *wlRun) admissionOps(rng *rand.Rand, pick func(float64) int64) []wlOp {
	seats := r.m.seats
	m := r.m
	selection := seats.Batch.Admission.Selection
	weight := func(on, off int) int {
		if selection {
			return on
		}
		return off
	}
	asked := func() int64 {
		var us []int64
		for u, a := range m.adm.asked {
			if a.answer == "" {
				us = append(us, u)
			}
		}
		if len(us) == 0 || rng.Float64() < 0.2 {
			return pick(0)
		}
		slices.Sort(us)
		return us[rng.IntN(len(us))]
	}
	// Selected most often, so that the seats run out before the results.
	decisions := []store.Status{store.StatusSelected, store.StatusSelected, store.StatusSelected, store.StatusSelected,
		store.StatusReserve, store.StatusReserve, store.StatusReserve, store.StatusNotSelected}
	return []wlOp{
		{"decide", weight(30, 1), func() string {
			u := pick(0)
			if apps := m.usersIn(store.StatusApplied); len(apps) > 0 && rng.Float64() < 0.8 {
				u = apps[rng.IntN(len(apps))]
			}
			st := decisions[rng.IntN(len(decisions))]
			err := r.db.Update(func(tx *store.Tx) error { return tx.Decide(seats, u, st, r.now) })
			if want := m.decide(u, st, r.now); !wlErrIs(err, want) {
				r.fail("decide(u%d, %s) = %v, model: %v", u, st, err, want)
			}
			return fmt.Sprintf("decide(u%d, %s) → %v", u, st, err)
		}},
		{"send_results", weight(2, 1), func() string {
			// Applications first: more than the seats, so that the results
			// make reserves too (unless they never come).
			if selection && !m.adm.sent && (r.step < 300 || len(m.usersIn(store.StatusApplied)) < 7 && r.step < 2000) {
				return "send_results: not yet (applications first)"
			}
			var desk string
			if selection && !m.adm.sent {
				desk = r.seatWalkIn() + "; "
			}
			var made []store.Offer
			var counts store.SelectionCounts
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				counts, made, err = tx.SendResults(seats, r.now)
				return err
			})
			want, wantErr := m.send(r.now)
			if !wlErrIs(err, wantErr) {
				r.fail("send results = %v, model: %v", err, wantErr)
			}
			r.sameOffers("send results", made, want)
			out := fmt.Sprintf("%ssend_results → %+v offers %s err %v", desk, counts, wlFmtOffers(made, nil), err)
			if err == nil {
				out += "; " + r.resultsDay()
			}
			return out
		}},
		{"ask_still_coming", weight(1, 3), func() string {
			var n int
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				n, err = tx.AskStillComing(seats.Batch, r.now)
				return err
			})
			if want := m.ask(r.now); err != nil || n != want {
				r.fail("ask still coming = %d, %v; model: %d", n, err, want)
			}
			return fmt.Sprintf("ask_still_coming → %d", n)
		}},
		{"answer_still_coming", weight(1, 10), func() string {
			u := asked()
			coming := rng.IntN(2) == 0
			var made []store.Offer
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				made, err = tx.AnswerStillComing(seats, u, coming, r.now)
				return err
			})
			want, wantErr := m.answer(u, coming, r.now)
			if !wlErrIs(err, wantErr) {
				r.fail("answer still coming(u%d, %v) = %v, model: %v", u, coming, err, wantErr)
			}
			r.sameOffers(fmt.Sprintf("answer still coming(u%d, %v)", u, coming), made, want)
			return fmt.Sprintf("answer_still_coming(u%d, %v) → offers %s err %v", u, coming, wlFmtOffers(made, nil), err)
		}},
		{"expire_still_coming", weight(1, 3), func() string {
			var next time.Time
			for _, a := range m.adm.asked {
				if a.answer == "" && !a.expired && (next.IsZero() || a.until.Before(next)) {
					next = a.until
				}
			}
			if at := next.Add(time.Duration(rng.IntN(30)) * time.Minute); !next.IsZero() && at.After(r.now) {
				r.now = at
			}
			var n int
			var made []store.Offer
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				n, made, err = tx.ExpireStillComing(seats, r.now)
				return err
			})
			wantN, want := m.expireAsks(r.now)
			if err != nil || n != wantN {
				r.fail("expire still coming = %d, %v; model: %d", n, err, wantN)
			}
			r.sameOffers("expire still coming", made, want)
			return fmt.Sprintf("expire_still_coming → %d offers %s", n, wlFmtOffers(made, nil))
		}},
	}
}

// checkAdmission compares the store's selection and "still coming?" with
// the model's; it returns what differs, "" when nothing does.
func (r *wlRun) checkAdmission(tx *store.Tx) string {
	m, batch := r.m, r.m.seats.Batch.ID
	if _, sent := tx.ResultsSent(batch); sent != m.adm.sent {
		return fmt.Sprintf("ResultsSent = %v, model %v", sent, m.adm.sent)
	}
	as, err := tx.Applicants(batch)
	if err != nil {
		return err.Error()
	}
	var got, want []string
	for _, a := range as {
		got = append(got, fmt.Sprintf("u%d:%s", a.UserID, a.Decision))
	}
	for _, u := range m.usersIn(store.StatusApplied) {
		want = append(want, fmt.Sprintf("u%d:%s", u, m.adm.decisions[u].status))
	}
	if !slices.Equal(got, want) {
		return fmt.Sprintf("applicants %v, model %v", got, want)
	}
	for _, u := range m.usersIn(store.StatusSelected, store.StatusReserve, store.StatusNotSelected) {
		if _, err := tx.OutboxByKey(store.ResultKey(batch, u)); err != nil {
			return fmt.Sprintf("user %d is %s without a result in the outbox: %v", u, m.status[u], err)
		}
	}
	flagged, err := tx.Unconfirmed(batch)
	if err != nil {
		return err.Error()
	}
	if w := m.unconfirmed(); len(flagged) != len(w) {
		return fmt.Sprintf("unconfirmed %v, model %v", flagged, w)
	} else {
		for u := range w {
			if !flagged[u] {
				return fmt.Sprintf("unconfirmed %v, model %v", flagged, w)
			}
		}
	}
	for u, a := range m.adm.asked {
		c, ok, err := tx.StillComingOf(batch, u)
		if err != nil || !ok || c.Answer != a.answer || c.Expired != a.expired || !c.Until.Equal(a.until) {
			return fmt.Sprintf("still coming of user %d = %+v, %v, %v; model %+v", u, c, ok, err, *a)
		}
		if _, err := tx.OutboxByKey(store.StillComingKey(batch, u)); err != nil {
			return fmt.Sprintf("user %d asked without a question in the outbox: %v", u, err)
		}
	}
	return ""
}
