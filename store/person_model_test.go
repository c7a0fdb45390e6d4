package store_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/daftar-bot/daftar/store"
)

// The intake's share of the waiting-list model test: every person has a
// NIK, and some accounts share one (two accounts of one person); a second
// batch "c" of the same course, far later, takes places too; a person
// allows one place in the course at a time. After every step no NIK holds
// two places in a batch or more than the course allows, and the store
// refuses exactly what the model refuses.

// wlNIKs is how many distinct NIKs the model's wlUsers accounts have:
// the accounts after the first wlNIKs share the NIK of an earlier one.
const wlNIKs = 15

// wlWalkInNIKs is how many more NIKs the walk-ins have: the k-th from
// wlNIKs on is nobody's account's.
const wlWalkInNIKs = 10

// wlMaxPlaces is the model course's max_batches_per_person.
const wlMaxPlaces = 1

// wlNIK returns the k-th NIK of the model (0-based): well formed, all
// from Kabupaten Jember.
func wlNIK(k int) string { return fmt.Sprintf("350901%02d0590%04d", 1+k%28, k+1) }

// wlOtherSeats are the seats of the model course's second batch, c: a
// hundred seats, starting long after b and any clock the test reaches,
// so that only the intake rules refuse a place there.
func wlOtherSeats(b store.Seats) store.Seats {
	c := wlSeats("c", 100, wlStartIn(3650))
	c.Intake, c.Batches = b.Intake, b.Batches
	return c
}

// wlIntakeSeats gives b the model course's intake rules and its second
// batch.
func wlIntakeSeats(b store.Seats) store.Seats {
	c := wlSeats("c", 100, wlStartIn(3650))
	b.Intake = store.Intake{NIKField: "nik", MaxPlaces: wlMaxPlaces, Batches: []string{"b", "c"}}
	b.Batches = []store.Batch{b.Batch, c.Batch}
	return b
}

// wlIntake is the model of the intake: each account's NIK, the NIK of
// its registration in b and in c, and whether it holds a place in c (b's
// places are wlModel.status).
type wlIntake struct {
	nik    map[int64]string // the NIK the account types when it registers
	nikB   map[int64]string // of its registration in b, while there is one
	nikC   map[int64]string // of its registration in c, while there is one
	placeC map[int64]bool   // holds a seat in c
}

func newWLIntake() *wlIntake {
	in := &wlIntake{nik: map[int64]string{}, nikB: map[int64]string{}, nikC: map[int64]string{}, placeC: map[int64]bool{}}
	for u := int64(1); u <= wlUsers; u++ {
		in.nik[u] = wlNIK(int(u-1) % wlNIKs)
	}
	return in
}

// person is u's registration in batch as the bot builds it, with their NIK.
func (r *wlRun) person(batch string, u int64) store.Participant {
	p := wlPerson(batch, u)
	p.Answers["nik"] = r.m.in.nik[u]
	return p
}

// intakeErr is what CheckIntake says about u taking a place in batch x
// with NIK nik.
func (m *wlModel) intakeErr(u int64, x, nik string) error {
	in := m.in
	type place struct {
		user  int64
		batch string
		holds bool
	}
	var places []place
	for _, v := range m.users() { // walk-ins too: theirs may have a NIK
		if _, ok := m.status[v]; ok && (v == u || nik != "" && in.nikB[v] == nik) {
			places = append(places, place{v, "b", m.status[v].HoldsPlace()})
		}
		if _, ok := in.nikC[v]; ok && (v == u || nik != "" && in.nikC[v] == nik) {
			places = append(places, place{v, "c", in.placeC[v]})
		}
	}
	held := map[string]bool{}
	for _, q := range places {
		switch {
		case q.batch == x && q.user == u:
		case q.batch == x && q.holds:
			return store.ErrNIKTaken
		case q.holds:
			held[q.batch] = true
		}
	}
	if len(held) >= wlMaxPlaces {
		return store.ErrTooManyPlaces
	}
	return nil
}

// intakeOps are the model test's operations on the intake: places in c,
// and changing the NIK of a registration in b (Ubah).
func (r *wlRun) intakeOps(rng *rand.Rand, b store.Seats) []wlOp {
	c := wlOtherSeats(b)
	m := r.m
	return []wlOp{
		{"other", 10, func() string {
			u := 1 + rng.Int64N(wlUsers)
			if m.in.placeC[u] {
				err := r.db.Update(func(tx *store.Tx) error {
					_, err := tx.CancelRegistration(c, u, r.now)
					return err
				})
				if err != nil {
					r.fail("cancel c(u%d): %v", u, err)
				}
				m.in.placeC[u] = false
				return fmt.Sprintf("cancel c(u%d)", u)
			}
			var got store.Participant
			err := r.db.Update(func(tx *store.Tx) error {
				var err error
				got, err = tx.TakeSeat(c, r.person("c", u), r.now)
				return err
			})
			want := m.intakeErr(u, "c", m.in.nik[u])
			if !wlErrIs(err, want) {
				r.fail("take c(u%d) = %v; model: %v", u, err, want)
			}
			if err == nil {
				m.in.placeC[u], m.in.nikC[u] = true, m.in.nik[u]
				if got.NIK != m.in.nik[u] {
					r.fail("take c(u%d): NIK of the registration not recorded", u)
				}
			}
			return fmt.Sprintf("take c(u%d) → %v", u, err)
		}},
		{"amend", 6, func() string {
			u := 1 + rng.Int64N(wlUsers)
			nik := wlNIK(rng.IntN(wlNIKs))
			answers := r.person("b", u).Answers
			answers["nik"] = nik
			err := r.db.Update(func(tx *store.Tx) error {
				_, err := tx.UpdateAnswers(b, u, answers, r.now)
				return err
			})
			var want error
			switch st := m.status[u]; {
			case st == "":
				want = store.ErrNotFound
			case st.HoldsPlace():
				if nik != m.in.nikB[u] {
					want = m.intakeErr(u, "b", nik)
				}
			}
			if !wlErrIs(err, want) {
				r.fail("amend(u%d) = %v; model: %v", u, err, want)
			}
			if err == nil {
				m.in.nikB[u], m.in.nik[u] = nik, nik
			}
			return fmt.Sprintf("amend(u%d) → %v", u, err)
		}},
	}
}

// registered records in the model that u's registration in b now has
// their NIK (TakeSeat or JoinWaitingList stored it).
func (m *wlModel) registeredNIK(u int64) { m.in.nikB[u] = m.in.nik[u] }

// erasedNIK forgets u's registrations in the model.
func (m *wlModel) erasedNIK(u int64) {
	delete(m.in.nikB, u)
	delete(m.in.nikC, u)
	delete(m.in.placeC, u)
}

// checkIntake compares the store's places in c and its NIK index with
// the model, and checks the intake's invariants whatever the model says:
// no NIK holds two places in a batch, nor places in more batches than
// the course allows; nor does an account.
func (r *wlRun) checkIntake(tx *store.Tx) error {
	m := r.m
	// Every NIK the model gives out: Ubah and walk-ins use any of them.
	niks := map[string]bool{}
	for k := range wlNIKs + wlWalkInNIKs {
		niks[wlNIK(k)] = true
	}
	for _, u := range m.users() {
		p, err := tx.Participant("c", u)
		switch {
		case errors.Is(err, store.ErrNotFound):
			if m.in.placeC[u] {
				return fmt.Errorf("user %d has no registration in c; model: a seat", u)
			}
		case err != nil:
			return err
		case p.Status.HoldsPlace() != m.in.placeC[u]:
			return fmt.Errorf("user %d is %q in c; model: holds a place %v", u, p.Status, m.in.placeC[u])
		}
		if q, err := tx.Participant("b", u); err == nil && q.NIK != m.in.nikB[u] {
			return fmt.Errorf("user %d's registration in b has another NIK than the model's", u)
		}
		ps, err := tx.ParticipantsOf(u)
		if err != nil {
			return err
		}
		// The desk model's other batch m is another course's.
		ps = slices.DeleteFunc(ps, func(p store.Participant) bool { return p.Batch != "b" && p.Batch != "c" })
		if n := store.Registrations(ps).ActiveCount(); n > wlMaxPlaces {
			return fmt.Errorf("user %d holds %d places in the course, at most %d", u, n, wlMaxPlaces)
		}
	}
	for nik := range niks {
		places, err := tx.PlacesOfNIK(nik)
		if err != nil {
			return err
		}
		batches := map[string]int64{}
		for _, p := range places {
			if v, dup := batches[p.Batch]; dup {
				return fmt.Errorf("a NIK holds two places in %s: users %d and %d", p.Batch, v, p.UserID)
			}
			batches[p.Batch] = p.UserID
		}
		if len(batches) > wlMaxPlaces {
			return fmt.Errorf("a NIK holds places in %d batches of the course, at most %d", len(batches), wlMaxPlaces)
		}
		// The index answers as the records say: every place with the NIK,
		// walk-ins' too.
		want := 0
		for _, u := range m.users() {
			if st := m.status[u]; m.in.nikB[u] == nik && st.HoldsPlace() {
				want++
			}
			if m.in.placeC[u] && m.in.nikC[u] == nik {
				want++
			}
		}
		if len(places) != want {
			return fmt.Errorf("PlacesOfNIK lists %d places, model %d", len(places), want)
		}
	}
	return nil
}

// wlOp is one operation of the model test, chosen by weight.
type wlOp struct {
	name   string
	weight int
	run    func() string
}
