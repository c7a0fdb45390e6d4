package store

import "strconv"

// SharedPhones returns the phone numbers (Course.PhoneOf) that more than
// one person holding a place (Status.HoldsPlace) in c's batches gave, with
// those places. A person is their NIK, or their account when there is no
// NIK: the same person in two batches is one. A shared phone is no
// refusal — a family shares one — but organisers are shown it, as it
// may be one person registered twice. It reads every registration of the
// course: for organisers' screens, not for the conversation.
func (tx *Tx) SharedPhones(c Course) (map[string][]Participant, error) {
	byPhone := map[string][]Participant{}
	people := map[string]map[string]bool{}
	for _, b := range c.Batches {
		ps, err := tx.ParticipantsIn(b.ID)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			phone := c.PhoneOf(p)
			if phone == "" || !p.Status.HoldsPlace() {
				continue
			}
			who := p.NIK
			if who == "" {
				who = "#" + strconv.FormatInt(p.UserID, 10)
			}
			if people[phone] == nil {
				people[phone] = map[string]bool{}
			}
			people[phone][who] = true
			byPhone[phone] = append(byPhone[phone], p)
		}
	}
	for phone := range byPhone {
		if len(people[phone]) < 2 {
			delete(byPhone, phone)
		}
	}
	return byPhone, nil
}
