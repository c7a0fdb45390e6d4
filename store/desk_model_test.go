package store_test

import (
	"crypto/rand"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"

	"github.com/daftar-bot/daftar/store"
)

// The staff's actions and the walk-ins in the waiting-list model test
// (TestWaitingList_Model), in every admission: cancellations by an
// organiser (with the stamp their screen showed, sometimes stale) of
// seats, waiting places, applications, the selected and reserves; moves
// of a seat out of the batch to another and back in (a place that is not
// a seat is refused); walk-ins enrolled at the desk, claimed (also with
// forged and used codes, and by accounts holding places of every kind)
// and erased. Moves and walk-ins take seats as the staff do, past
// /tutup and before a selection's results; a moved or walked-in
// registration is dated at the move or the enrolment, which decides
// whether "still coming?" asks it.

// wlDesk is the model's view of the other batch and the walk-ins.
type wlDesk struct {
	other   store.Seats
	in      map[int64]store.Status // registrations in other, by user
	walkins []int64                // every walk-in enrolled, in order
	nikIn   map[int64]string       // the NIK of each registration in other
	codes   map[int64]string       // claim codes of walk-ins not claimed or erased
	used    []string               // codes used up
}

// erase forgets u, as Tx.Erase does.
func (d *wlDesk) erase(u int64) {
	delete(d.in, u)
	delete(d.nikIn, u)
	delete(d.codes, u)
}

// users are the people the check looks at: the ordinary users and the
// walk-ins with a registration. A walk-in claimed or erased has none: a
// record left behind shows in the counts of registrations per batch
// (check, checkDesk), so the checks need not read each of them, every
// step, for ever.
func (m *wlModel) users() []int64 {
	out := make([]int64, 0, wlUsers+len(m.desk.walkins))
	for u := int64(1); u <= wlUsers; u++ {
		out = append(out, u)
	}
	for _, w := range m.desk.walkins {
		if m.status[w] != "" || m.desk.in[w] != "" {
			out = append(out, w)
		}
	}
	return out
}

// full reports whether the batch gives no seat to a newcomer.
func (m *wlModel) full() bool {
	return m.taken()+len(m.offers) >= m.seats.Batch.Capacity || len(m.waiting) > 0
}

// wlChat is the chat the store gives user's messages: none for a
// walk-in.
func wlChat(user int64) int64 {
	if store.IsWalkIn(user) {
		return 0
	}
	return 1000 + user
}

// deskOps are the model test's operations of the staff and walk-ins.
func (r *wlRun) deskOps(rng *mrand.Rand, pick func(offered float64) int64) []wlOp {
	m := r.m
	d := &m.desk
	d.other = wlSeats("m", 1000, wlStartIn(400))
	d.in, d.codes, d.nikIn = map[int64]store.Status{}, map[int64]string{}, map[int64]string{}
	seats := m.seats
	// placed are the users holding a place in b that is not a seat
	// (applied, selected, reserve, waiting), in id order.
	placed := func() []int64 {
		return m.usersIn(store.StatusApplied, store.StatusSelected, store.StatusReserve, store.StatusWaiting)
	}
	// who is anyone: sometimes a walk-in, sometimes someone holding a
	// place but no seat.
	who := func() int64 {
		switch n := rng.IntN(8); {
		case n < 2 && len(d.walkins) > 0:
			return d.walkins[rng.IntN(len(d.walkins))]
		case n < 4:
			if us := placed(); len(us) > 0 {
				return us[rng.IntN(len(us))]
			}
		}
		return pick(0.2)
	}
	// stamp is what an organiser's screen shows of u's registration in
	// batch: one time in five a screen older than the last change.
	stamp := func(batch string, u int64) (string, bool) {
		if rng.IntN(5) == 0 {
			return "stale", true
		}
		var s string
		_ = r.db.View(func(tx *store.Tx) error {
			if p, err := tx.Participant(batch, u); err == nil {
				s = p.Stamp()
			}
			return nil
		})
		return s, false
	}
	// staffCancel cancels u as an organiser whose screen showed stamp:
	// any place (a seat, a waiting place, an application, a selected
	// person's held seat, a reserve's place) goes as the person's own
	// cancellation would, and the person is told, a walk-in not.
	staffCancel := func(u int64, st string, stale bool) string {
		before := m.status[u]
		var got store.Participant
		var made []store.Offer
		err := r.db.Update(func(tx *store.Tx) error {
			var err error
			got, made, err = tx.StaffCancel(seats, u, st, "alasan", r.now)
			return err
		})
		var want []wlModelOffer
		var wantErr error
		switch {
		case before == "":
			wantErr = store.ErrNotFound
		case stale || !before.HoldsPlace():
			wantErr = store.ErrChanged
		default:
			want, _ = m.cancel(u, r.now)
		}
		if !wlErrIs(err, wantErr) {
			r.fail("staff-cancel(u%d %s, stale %v) = %v, model: %v", u, before, stale, err, wantErr)
		}
		r.sameOffers(fmt.Sprintf("staff-cancel(u%d)", u), made, want)
		if err == nil {
			if got.Status != store.StatusCancelled || got.UserID != u {
				r.fail("staff-cancel(u%d) returned %+v", u, got)
			}
			key := fmt.Sprintf("staff-cancel/b/%d/%d", u, r.now.UnixNano())
			e, err := wlOutbox(r.t, r.db, key)
			n, _ := e.Notice()
			if err != nil || e.UserID != u || e.ChatID != wlChat(u) || n.Notice != store.NoticeStaffCancelled || e.Data["reason"] != "alasan" ||
				(e.Status == store.OutboxQueued) == store.IsWalkIn(u) {
				r.fail("staff-cancel(u%d): notice %+v, %v", u, e, err)
			}
		}
		return fmt.Sprintf("staff-cancel(u%d %s stale=%v) → offers %s err %v", u, before, stale, wlFmtOffers(made, nil), err)
	}
	// enrol registers a walk-in at the desk, most with a NIK: one of
	// their own, or one of the accounts' (the person has Telegram
	// already, or shares a NIK with someone who has).
	enrol := func() string {
		p := wlPerson("b", 0)
		nik := ""
		switch rng.IntN(4) {
		case 0:
			nik = wlNIK(rng.IntN(wlNIKs))
		case 1, 2:
			nik = wlNIK(wlNIKs + rng.IntN(wlWalkInNIKs))
		}
		if nik != "" {
			p.Answers["nik"] = nik
		}
		var got store.Participant
		var w store.WalkIn
		err := r.db.Update(func(tx *store.Tx) error {
			var err error
			got, w, err = tx.EnrolWalkIn(seats, p, 99, r.now)
			return err
		})
		var wantErr error
		id := -int64(len(d.walkins) + 1)
		switch {
		case !r.now.Before(m.sessionStart):
			wantErr = store.ErrBatchStarted
		case m.intakeErr(id, "b", nik) != nil:
			wantErr = m.intakeErr(id, "b", nik)
		case m.full():
			wantErr = store.ErrBatchFull
		default:
			m.seat[id], m.status[id], m.regAt[id] = m.lowestFree(), store.StatusRegistered, r.now
			m.in.nik[id], m.in.nikB[id] = nik, nik
			d.walkins = append(d.walkins, id)
		}
		if !wlErrIs(err, wantErr) || (err != nil && !errors.Is(err, store.ErrSeatRefused)) {
			r.fail("enrol = %v, model: %v", err, wantErr)
		}
		if err == nil {
			if got.UserID != id || got.Seat != m.seat[id] || got.ChatID != 0 || got.ConsentBy != 99 || w.UserID != id || w.Code == "" {
				r.fail("enrol = %+v, walk-in %+v; model: user %d seat %d", got, w, id, m.seat[id])
			}
			d.codes[id] = w.Code
		}
		return fmt.Sprintf("enrol → u%d seat %d err %v", got.UserID, got.Seat, err)
	}
	// claim opens a claim link as u: a forged code when pick is below 2
	// (or no code is left), a used one below 4, that of a walk-in not
	// claimed yet at 4 (whose registration may be cancelled), and above
	// that, when there is one, of a walk-in seated in b.
	// A live link is mostly left to the accounts holding a place in b
	// (probe), who are refused and leave it live, so that links are
	// still there when the results are out and the selected and the
	// reserves open them.
	claim := func(u int64, pick int) string {
		var code string
		var w int64
		switch {
		case pick < 2 || len(d.codes) == 0:
			code = wlForgedCode()
		case pick < 4 && len(d.used) > 0:
			code = d.used[rng.IntN(len(d.used))]
		default:
			ws := make([]int64, 0, len(d.codes))
			for id := range d.codes {
				ws = append(ws, id)
			}
			slices.Sort(ws)
			if seated := slices.DeleteFunc(slices.Clone(ws), func(w int64) bool { return m.status[w] != store.StatusRegistered }); pick > 4 && len(seated) > 0 {
				ws = seated
			}
			w = ws[rng.IntN(len(ws))]
			code = d.codes[w]
		}
		var got []store.Participant
		err := r.db.Update(func(tx *store.Tx) error {
			var err error
			got, err = tx.ClaimWalkIn([]store.Seats{seats, d.other}, code, u, 1000+u, "en", r.now)
			return err
		})
		before := m.status[u]
		wantErr := wlModelClaim(m, w, u)
		if !wlErrIs(err, wantErr) {
			r.fail("claim(w%d by u%d %s) = %v, model: %v", w, u, before, err, wantErr)
		}
		for _, p := range got {
			if p.UserID != u || p.ChatID != 1000+u || p.Lang != "en" {
				r.fail("claim(w%d by u%d) returned %+v", w, u, p)
			}
		}
		if err == nil {
			d.used = append(d.used, code)
			delete(d.codes, w)
		}
		return fmt.Sprintf("claim(w%d by u%d %s) → %d registrations err %v", w, u, before, len(got), err)
	}
	// moveOut moves u's seat in b to the other batch as an organiser
	// whose screen showed stamp st.
	moveOut := func(u int64, st string, stale bool) string {
		var made []store.Offer
		err := r.db.Update(func(tx *store.Tx) error {
			var err error
			_, made, err = tx.MoveParticipant(seats, d.other, u, st, r.now)
			return err
		})
		var want []wlModelOffer
		var wantErr error
		switch s := m.status[u]; {
		case s == "":
			wantErr = store.ErrNotFound
		case stale || !s.HoldsPlace():
			wantErr = store.ErrChanged
		case s != store.StatusRegistered:
			// Only a seat moves: the selection or the waiting list
			// decides the others.
			wantErr = store.ErrNotSeated
		case d.in[u] == store.StatusRegistered:
			wantErr = store.ErrAlreadyRegistered
		default:
			m.remove(u)
			m.status[u], d.in[u] = store.StatusCancelled, store.StatusRegistered
			d.nikIn[u] = m.in.nikB[u]
			want = m.offerFreed(r.now)
		}
		if !wlErrIs(err, wantErr) || (wantErr == store.ErrAlreadyRegistered && !errors.Is(err, store.ErrSeatRefused)) ||
			(wantErr == store.ErrChanged && errors.Is(err, store.ErrNotSeated)) {
			r.fail("move-out(u%d %s, stale %v) = %v, model: %v", u, m.status[u], stale, err, wantErr)
		}
		r.sameOffers(fmt.Sprintf("move-out(u%d)", u), made, want)
		if err == nil {
			r.toldMoved(u)
		}
		return fmt.Sprintf("move-out(u%d stale=%v) → offers %s err %v", u, stale, wlFmtOffers(made, nil), err)
	}
	// probe has every account holding a place but no seat in b
	// (applied, selected, reserve, waiting) open the link of a walk-in
	// seated there, and an organiser try to move them: both refused,
	// changing nothing.
	probe := func() string {
		var out []string
		for _, u := range slices.DeleteFunc(placed(), store.IsWalkIn) {
			out = append(out, claim(u, 5))
			st, _ := stamp("b", u)
			out = append(out, moveOut(u, st, st == "stale"))
		}
		return "probe: " + strings.Join(out, "; ")
	}
	// r.resultsDay is the desk when a selection's results are out, the
	// few steps when the selected and the reserves all exist: probe,
	// then a selected person says they cannot come and an organiser
	// cancels them, their held seat going to the first reserve.
	r.resultsDay = func() string {
		out := probe()
		if sel := m.usersIn(store.StatusSelected); len(sel) > 0 && len(m.usersIn(store.StatusReserve)) > 0 {
			var st string
			_ = r.db.View(func(tx *store.Tx) error {
				p, err := tx.Participant("b", sel[0])
				st = p.Stamp()
				return err
			})
			out += "; " + staffCancel(sel[0], st, false)
		}
		return out
	}
	// r.seatWalkIn enrols a walk-in for the send_results op when no
	// walk-in seated in b has a live link and a seat is left beside those
	// the decisions select: the results then meet a walk-in's link.
	r.seatWalkIn = func() string {
		selected := 0
		for _, u := range m.usersIn(store.StatusApplied) {
			if m.adm.decisions[u].status == store.StatusSelected {
				selected++
			}
		}
		for w := range d.codes {
			if m.status[w] == store.StatusRegistered {
				return "a walk-in is seated"
			}
		}
		if m.seats.Batch.Capacity-m.taken()-len(m.offers) <= selected {
			return "no seat for a walk-in"
		}
		return enrol()
	}
	// spare is mostly true on a selection batch before its results: the
	// staff's seats (walk-ins, moves in) would otherwise fill its few
	// seats before anyone is selected, and the selected and the reserves
	// would meet the links and moves too rarely.
	spare := func() bool {
		return seats.Batch.Admission.Selection && !m.adm.sent && rng.IntN(4) != 0
	}
	return []wlOp{
		// A desk day: the organisers cancel everyone waiting and one seat
		// (people who said they will not come), then register a walk-in,
		// who gets the freed seat.
		{"desk-day", 3, func() string {
			if spare() {
				return "desk-day: spared before the results"
			}
			var out []string
			for _, u := range slices.Clone(m.waiting) {
				st, _ := stamp("b", u)
				out = append(out, staffCancel(u, st, st == "stale"))
			}
			seated := make([]int64, 0, len(m.seat))
			for u := range m.seat {
				seated = append(seated, u)
			}
			slices.Sort(seated)
			for _, u := range seated {
				if rng.IntN(2) == 0 {
					st, _ := stamp("b", u)
					out = append(out, staffCancel(u, st, st == "stale"))
					break
				}
			}
			return strings.Join(append(out, enrol()), "; ")
		}},
		{"staff-cancel", 6, func() string {
			u := who()
			st, stale := stamp("b", u)
			return staffCancel(u, st, stale)
		}},
		{"move-out", 5, func() string {
			u := who()
			st, stale := stamp("b", u)
			return moveOut(u, st, stale)
		}},
		{"move-in", 4, func() string {
			if spare() {
				return "move-in: spared before the results"
			}
			u := who()
			var moved []int64
			for v, s := range d.in {
				if s == store.StatusRegistered {
					moved = append(moved, v)
				}
			}
			slices.Sort(moved)
			if len(moved) > 0 && rng.IntN(2) == 0 {
				u = moved[rng.IntN(len(moved))]
			}
			var made []store.Offer
			var got store.Participant
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				got, made, err = tx.MoveParticipant(d.other, seats, u, "", r.now)
				return err
			})
			var wantErr error
			wantSeat := 0
			switch {
			case d.in[u] == "":
				wantErr = store.ErrNotFound
			case d.in[u] != store.StatusRegistered:
				wantErr = store.ErrChanged
			case m.status[u] == store.StatusRegistered:
				wantErr = store.ErrAlreadyRegistered
			case !r.now.Before(m.sessionStart):
				wantErr = store.ErrBatchStarted
			case m.intakeErr(u, "b", d.nikIn[u]) != nil:
				wantErr = m.intakeErr(u, "b", d.nikIn[u])
			case m.status[u] == store.StatusWaiting:
				wantErr = store.ErrAlreadyWaiting
			case m.full():
				wantErr = store.ErrBatchFull
			default:
				// Past /tutup and before a selection's results too: the
				// organiser decides. An application (or a result of not
				// selected) in b gives way to the seat.
				wantSeat = m.lowestFree()
				m.seat[u], m.status[u], d.in[u] = wantSeat, store.StatusRegistered, store.StatusCancelled
				m.regAt[u] = r.now
				m.in.nikB[u] = d.nikIn[u]
			}
			if !wlErrIs(err, wantErr) || (err == nil && (got.Seat != wantSeat || got.Batch != "b" || !got.RegisteredAt.Equal(r.now))) {
				r.fail("move-in(u%d) = seat %d, %v; model: seat %d, %v", u, got.Seat, err, wantSeat, wantErr)
			}
			r.sameOffers(fmt.Sprintf("move-in(u%d)", u), made, nil)
			if err == nil {
				r.toldMoved(u)
			}
			return fmt.Sprintf("move-in(u%d) → seat %d err %v", u, got.Seat, err)
		}},
		{"enrol", 4, func() string {
			if spare() {
				return "enrol: spared before the results"
			}
			return enrol()
		}},
		{"claim", 4, func() string { return claim(1+rng.Int64N(wlUsers), rng.IntN(5)) }},
		{"probe", 2, func() string { return probe() }},
		{"erase-walkin", 1, func() string {
			if len(d.walkins) == 0 {
				return "erase-walkin: none"
			}
			w := d.walkins[rng.IntN(len(d.walkins))]
			var made []store.Offer
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				made, err = tx.Erase([]store.Seats{seats, d.other}, w, r.now)
				return err
			})
			if err != nil {
				r.fail("erase(w%d): %v", w, err)
			}
			r.sameOffers(fmt.Sprintf("erase(w%d)", w), made, m.erase(w, r.now))
			return fmt.Sprintf("erase(w%d) → offers %s", w, wlFmtOffers(made, nil))
		}},
	}
}

// wlModelClaim is what claiming walk-in w (0: a forged or used code) by
// u does to the model, and the error the store must return.
func wlModelClaim(m *wlModel, w, u int64) error {
	d := &m.desk
	if w == 0 || (m.status[w] != store.StatusRegistered && d.in[w] != store.StatusRegistered) {
		return store.ErrNoClaim
	}
	// Any place of u in the batch of the walk-in's seat refuses the
	// claim: a seat, a waiting place, an application, a selected
	// person's held seat, a reserve's place.
	if (m.status[w] == store.StatusRegistered && m.status[u].HoldsPlace()) || (d.in[w] == store.StatusRegistered && d.in[u].HoldsPlace()) {
		return store.ErrClaimHeld
	}
	// The intake, asked of u with the walk-in's NIK and the walk-in's
	// own registration out of the way: no other account may hold a place
	// in b with it, nor may u and it hold the course's limit elsewhere.
	if st := m.status[w]; st == store.StatusRegistered {
		delete(m.status, w)
		err := m.intakeErr(u, "b", m.in.nikB[w])
		m.status[w] = st
		if err != nil {
			return store.ErrClaimHeld
		}
	}
	if s := m.status[w]; s != "" {
		if s != store.StatusRegistered && m.status[u] != "" {
			// w's cancelled registration gives way to u's own.
		} else {
			// u's registration in b, if any (cancelled, not selected),
			// gives way to w's, with what is kept under its key: the
			// decision on it, what "still coming?" asked it (a walk-in
			// is not asked: the claimed seat is asked as new).
			m.status[u], m.regAt[u] = s, m.regAt[w]
			m.in.nikB[u] = m.in.nikB[w]
			delete(m.seat, u)
			if s == store.StatusRegistered {
				m.seat[u] = m.seat[w]
			}
			delete(m.adm.decisions, u)
			delete(m.adm.asked, u)
		}
		delete(m.status, w)
		delete(m.seat, w)
		delete(m.regAt, w)
		delete(m.in.nikB, w)
		m.adm.forget(w)
	}
	if s := d.in[w]; s != "" {
		if s == store.StatusRegistered || d.in[u] == "" {
			d.in[u], d.nikIn[u] = s, d.nikIn[w]
		}
		delete(d.in, w)
	}
	// What was owed to the walk-in (stored as skipped) goes.
	for k, e := range m.notices {
		if e.UserID == w {
			delete(m.notices, k)
		}
	}
	return nil
}

// toldMoved checks that the user just moved is told: the notice of the
// move made at the clock's now, queued unless they are a walk-in.
func (r *wlRun) toldMoved(u int64) {
	r.t.Helper()
	var found bool
	err := r.db.View(func(tx *store.Tx) error {
		for _, to := range []string{"b", "m"} {
			e, err := tx.OutboxByKey(fmt.Sprintf("staff-move/%s/%d/%d", to, u, r.now.UnixNano()))
			if err != nil {
				continue
			}
			n, _ := e.Notice()
			found = e.UserID == u && e.ChatID == wlChat(u) && n.Notice == store.NoticeStaffMoved && n.Batch == to &&
				(e.Status == store.OutboxQueued) != store.IsWalkIn(u)
		}
		return nil
	})
	if err != nil || !found {
		r.fail("user %d moved without the notice of the move (%v)", u, err)
	}
}

// wlForgedCode is a claim code in the right form that nobody was given
// (80 random bits: it is not one of the few issued).
func wlForgedCode() string {
	const crockford = "0123456789abcdefghjkmnpqrstvwxyz"
	b := make([]byte, store.ClaimCodeLen)
	rand.Read(b)
	for i := range b {
		b[i] = crockford[b[i]&31]
	}
	return string(b)
}

// checkDesk checks, after every step, what the staff's actions and the
// walk-ins must keep: nothing queued for a walk-in, the other batch as the
// model says, the codes of unclaimed walk-ins known and used ones not.
func (r *wlRun) checkDesk() {
	r.t.Helper()
	d := &r.m.desk
	queued, err := r.db.Queued(r.now.AddDate(10, 0, 0), 1<<20, nil)
	if err != nil {
		r.fail("Queued: %v", err)
	}
	for _, e := range queued {
		if store.IsWalkIn(e.UserID) || e.ChatID == 0 {
			r.fail("outbox entry %s queued for walk-in %d (chat %d)", e.Key, e.UserID, e.ChatID)
		}
	}
	err = r.db.View(func(tx *store.Tx) error {
		registered := 0
		for u, want := range d.in {
			p, err := tx.Participant("m", u)
			if err != nil || p.Status != want {
				r.fail("user %d in the other batch: %q, %v; model %q", u, p.Status, err, want)
			}
			if want == store.StatusRegistered {
				registered++
			} else if p.MovedTo != "b" {
				r.fail("user %d left the other batch without MovedTo b: %+v", u, p)
			}
		}
		if n := wlMust(tx.SeatsTaken("m")); n != registered {
			r.fail("other batch: %d seats taken, model %d", n, registered)
		}
		if ps := wlMust(tx.ParticipantsIn("m")); len(ps) != len(d.in) {
			r.fail("other batch: %d registrations, model %d", len(ps), len(d.in))
		}
		for w, code := range d.codes {
			if got, err := tx.WalkInByCode(code); err != nil || got.UserID != w {
				r.fail("code of walk-in %d: %+v, %v", w, got, err)
			}
		}
		for _, code := range d.used {
			if _, err := tx.WalkInByCode(code); !errors.Is(err, store.ErrNotFound) {
				r.fail("used code %s still known: %v", code, err)
			}
		}
		return nil
	})
	if err != nil {
		r.fail("read the store: %v", err)
	}
}
