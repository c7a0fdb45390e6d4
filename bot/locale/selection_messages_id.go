package locale

var selectionMessagesID = SelectionMessages{
	Applied: "📝 Lamaran Anda untuk <b>%s</b> (%s) sudah kami terima.\n\n" +
		"Panitia menyeleksi semua pelamar. Hasilnya dikirim lewat bot ini paling lambat <b>%s</b>. " +
		"Jika lolos, Anda mengonfirmasi dengan tombol <b>Saya ikut</b>. Lihat /status kapan saja.",
	AlreadyApplied:    "Lamaran Anda untuk <b>%s</b> sudah masuk. Hasil seleksi dikirim paling lambat %s.",
	StatusApplied:     "<b>%s</b> — lamaran sedang diseleksi, hasil paling lambat %s\n📅 %s\n🕗 %s\n📍 %s",
	StatusSelected:    "<b>%s</b> — Anda lolos seleksi. Konfirmasi sebelum %s dengan <b>Saya ikut</b>.\n📅 %s\n🕗 %s\n📍 %s",
	StatusReserve:     "<b>%s</b> — cadangan urutan ke-%d\n📅 %s\n🕗 %s\n📍 %s",
	StatusNotSelected: "<b>%s</b> — tidak lolos seleksi.",
	WordApplied:       "melamar, menunggu hasil seleksi",
	WordSelected:      "lolos seleksi, menunggu konfirmasi",
	WordReserve:       "cadangan urutan ke-%d",
	WordNotSelected:   "tidak lolos seleksi",
	ResultSelected: "🎉 Selamat! Anda <b>lolos seleksi</b> %s (%s).\n\n" +
		"Konfirmasi sebelum <b>%s</b> dengan <b>Saya ikut</b>. Jika tidak bisa ikut, tekan <b>Tidak jadi</b> " +
		"agar kursinya diberikan ke cadangan. Tanpa jawaban, kursi diberikan ke cadangan.",
	ResultReserve: "Hasil seleksi %s: Anda menjadi <b>cadangan urutan ke-%d</b>. " +
		"Jika ada kursi yang kosong, Anda kami tawari lewat bot ini.",
	ResultNotSelected:    "Hasil seleksi %s: mohon maaf, Anda <b>belum lolos</b> kali ini. Terima kasih sudah mendaftar.",
	SelectionExpired:     "Waktu konfirmasi kursi %s sudah lewat tanpa jawaban, jadi kursinya diberikan ke cadangan.",
	AttendDeclined:       "Baik, kursi Anda di <b>%s</b> kami berikan ke cadangan. Terima kasih sudah memberi tahu.",
	BtnAttend:            "Saya ikut",
	BtnNotAttend:         "Tidak jadi",
	TagSelection:         "seleksi · %d kursi",
	BatchButtonSelection: "%s · %s · seleksi",

	StillComingAsk: "👋 %s dimulai <b>%s</b> (🕗 %s, 📍 %s).\n\nApakah Anda masih akan hadir? " +
		"Jawab sebelum <b>%s</b> dengan <b>Saya hadir</b> atau <b>Tidak jadi</b>.",
	StillComingKeep:      "Jika tidak bisa hadir, mohon tekan <b>Tidak jadi</b> agar kursinya bisa dipakai orang lain.",
	StillComingRelease:   "Tanpa jawaban, kursi Anda diberikan ke orang di daftar tunggu.",
	StillComingThanks:    "Terima kasih! Sampai jumpa di <b>%s</b>, %s.",
	StillComingCancelled: "Baik, kursi Anda di <b>%s</b> sudah dibatalkan dan diberikan ke orang berikutnya di daftar tunggu. Terima kasih sudah memberi tahu.",
	StillComingGone:      "Pertanyaan ini sudah tidak berlaku.",
	UnconfirmedReleased:  "Anda tidak menjawab apakah masih akan hadir di %s, jadi kursi Anda diberikan ke orang di daftar tunggu.",
	BtnComing:            "Saya hadir",
	BtnNotComing:         "Tidak jadi",

	BtnAudienceApplicants: "%s — pelamar (%d)",
	AudienceApplicants:    "pelamar %s",
	CmdSelect:             "Seleksi pelamar",
	CmdResults:            "Kirim hasil seleksi",
	SelAskBatch:           "Yang mana? Kirim <code>/%s ID</code>, ID salah satu dari: %s",
	SelNoBatch:            "Tidak ada yang memakai seleksi (admission = \"selection\").",
	SelNotSelection:       "<b>%s</b> menerima pendaftar sesuai urutan datang, tanpa seleksi.",
	SelNone:               "Belum ada pelamar di <b>%s</b>.",
	SelSent:               "Hasil seleksi <b>%s</b> sudah dikirim (%s); keputusan tidak bisa diubah lagi. Lihat /peserta.",
	SelHead:               "🗂 <b>Seleksi %s</b> — pelamar %d dari %d\nLolos %d/%d kursi · Cadangan %d · Tidak lolos %d · Belum diputuskan %d",
	SelApplicant:          "<b>%s</b>\nMelamar: %s\nKeputusan: <b>%s</b>",
	SelUndecided:          "belum diputuskan",
	SelReserveRank:        "Cadangan (urutan %d)",
	SelFull:               "Kursi sudah penuh: %d lolos dari %d kursi. Ubah keputusan pelamar lain dulu.",
	SelSaved:              "Tersimpan: %s",
	SelGone:               "Pelamar ini tidak lagi dalam seleksi.",
	BtnSelected:           "Lolos",
	BtnReserve:            "Cadangan",
	BtnNotSelected:        "Tidak lolos",
	ResPreview: "📣 <b>Hasil seleksi %s</b>\nLolos: <b>%d</b> dari %d kursi (konfirmasi dalam %d jam)\nCadangan: %d\n" +
		"Tidak lolos: %d\nBelum diputuskan: %d (menerima hasil tidak lolos)\n\n" +
		"<b>Kirim</b> mengirim hasilnya ke setiap pelamar; setelah itu keputusan tidak bisa diubah.",
	ResNobody:       "Belum ada pelamar di <b>%s</b>: tidak ada hasil untuk dikirim.",
	ResDone:         "📣 Hasil seleksi <b>%s</b> dikirim: %d lolos, %d cadangan, %d tidak lolos.",
	ResStarted:      "<b>%s</b> sudah dimulai: hasil seleksi tidak bisa dikirim lagi.",
	ResFull:         "<b>%s</b>: %d lolos, tetapi hanya %d kursi yang tersisa. Ubah keputusan dengan /seleksi.",
	LogDecision:     "seleksi: %s di %s → %s",
	LogResults:      "hasil seleksi %s dikirim (%s)",
	FlagUnconfirmed: " ⚠️ belum konfirmasi hadir",
	ReserveNumber:   "C%d.",
}
