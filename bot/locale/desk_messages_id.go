package locale

var deskMessagesID = deskMessagesIDFor(wordID(""))

// deskMessagesIDFor is the Indonesian desk catalogue with w as the word
// for a batch.
func deskMessagesIDFor(w batchWord) DeskMessages {
	return DeskMessages{
		CmdEnrol: "Daftarkan orang di meja (/daftarkan " + w.lower + ")",

		BtnStaffCancel:  "Batalkan",
		BtnMove:         "Pindahkan",
		NoTelegram:      "tanpa Telegram",
		DetailMovedTo:   "Dipindahkan ke %s",
		DetailConsentBy: "Didaftarkan di meja: persetujuan diberikan langsung kepada penyelenggara #%d, %s",

		CancelAsk:       "Batalkan pendaftaran <b>%s</b> di %s?\n\nKetik alasannya (dikirim kepada peserta), atau tekan <b>Lewati</b> untuk membatalkan tanpa alasan.",
		CancelAskQuiet:  "Peserta ini belum memakai Telegram: tidak ada pesan yang dikirim kepadanya.",
		CancelDropped:   "Pembatalan tidak jadi dilakukan; tidak ada yang diubah.",
		CancelDone:      "✅ Pendaftaran <b>%s</b> di %s dibatalkan.",
		CancelTold:      "Peserta diberi tahu.",
		CancelNotTold:   "Tanpa Telegram: tidak ada pesan kepadanya.",
		SeatOffered:     "Kursinya ditawarkan ke %d orang di daftar tunggu.",
		ReasonTooLong:   "Alasannya terlalu panjang: paling banyak %d karakter. Ketik lagi, atau tekan <b>Lewati</b>.",
		ReasonText:      "Kirim alasannya sebagai teks, atau tekan <b>Lewati</b>.",
		Changed:         "Pendaftaran ini sudah diubah sementara itu (oleh penyelenggara lain atau oleh pesertanya): tidak ada yang diubah. Buka /peserta lagi untuk melihat keadaannya sekarang.",
		LogStaffCancel:  "membatalkan pendaftaran %s di %s",
		LogStaffMove:    "memindahkan %s dari %s ke %s",
		LogEnrolled:     "mendaftarkan %s di meja, %s",
		LogClaimed:      "pendaftaran di meja di %s ditautkan ke akun Telegram",
		MoveAsk:         "Pindahkan <b>%s</b> dari %s ke " + w.lower + " mana? Hanya " + w.plural + " yang belum mulai dan masih punya kursi kosong.",
		MoveNone:        "Tidak ada " + w.lower + " lain untuk <b>%s</b> selain %s yang belum mulai dan masih punya kursi kosong.",
		MoveDone:        "✅ <b>%s</b> dipindahkan dari %s ke %s, kursi %d.",
		MoveRefused:     "%s tidak bisa menerimanya: %s Tidak ada yang diubah.",
		MoveBatchButton: "%s (sisa %d)",
		MoveSeatOnly:    "<b>Pindahkan</b> hanya untuk peserta yang memegang kursi: <b>%s</b> belum memegangnya (lamaran, lolos tetapi belum menekan <b>Saya ikut</b>, atau cadangan). Bila perlu, batalkan di sini lalu daftarkan di " + w.lower + " lain.",

		ReasonFull:       "kursinya sudah penuh atau ada yang menunggu.",
		ReasonStarted:    "sudah dimulai.",
		ReasonOverlap:    "tanggalnya bentrok dengan pendaftaran lain orang ini.",
		ReasonRegistered: "orang ini sudah terdaftar di sana.",
		ReasonOther:      "aturan pendaftaran menolaknya.",
		ReasonNIKTaken:   "NIK ini sudah memegang tempat di sana.",
		ReasonNIKFull:    "NIK ini (atau akun ini) sudah memegang tempat sebanyak yang diizinkan kursus ini.",
		ReasonIneligible: "orang ini tidak memenuhi syaratnya (usia, domisili, atau pelatihan sebelumnya).",

		EnrolAskBatch:  "📝 <b>Pendaftaran di meja</b>: untuk orang yang datang langsung. Di " + w.lower + " mana?",
		EnrolNoBatch:   "Tidak ada " + w.lower + " yang bisa menerima pendaftaran di meja sekarang (belum mulai dan masih punya kursi kosong).",
		EnrolConsent:   "Bacakan atau tunjukkan kepada calon peserta:\n\n%s\n\nApakah ia setuju? Persetujuannya dicatat sebagai diberikan langsung kepada Anda, dengan waktunya.",
		EnrolDeclined:  "Tanpa persetujuan tidak ada yang disimpan. Pendaftaran di meja selesai.",
		EnrolQuestion:  "📝 Pendaftaran di meja, %s — pertanyaan %d dari %d\n\n<b>%s</b>",
		EnrolSummary:   "📝 <b>Ringkasan pendaftaran di meja</b>, %s\n%s\n\nPeriksa bersama calon peserta, lalu tekan <b>Konfirmasi</b> untuk memberinya kursi.",
		EnrolDone:      "✅ Terdaftar di %s, kursi %d.\n\nBerikan tautan ini kepada peserta. Saat dibuka di Telegram, pendaftarannya tertaut ke akunnya dan pengingat sampai kepadanya. Tautan hanya bisa dipakai sekali:\n%s\n\n(Atau ia mengirim <code>/start %s</code> kepada bot.) Sampai saat itu ia tercatat tanpa Telegram dan tidak menerima pesan.",
		EnrolCancelled: "Pendaftaran di meja dibatalkan; jawabannya tidak disimpan.",
		EnrolRefused:   "%s tidak bisa menerima pendaftaran ini: %s",
		EnrolBusy:      "Selesaikan atau batalkan dulu pendaftaran di meja yang sedang berjalan.",
		EnrolExpired:   "Pendaftaran di meja ini sudah tidak berjalan. Mulai lagi dengan /daftarkan.",

		BtnErase:    "Hapus data",
		BtnEraseYes: "Ya, hapus",
		EraseAsk:    "🗑 Hapus semua data <b>%s</b> dari bot? Pendaftarannya, jawabannya dan tautan klaimnya dihapus; kursi atau tempatnya diberikan ke orang berikutnya. Ini tidak bisa dibatalkan.\n\nLakukan hanya atas permintaan orang itu sendiri (UU PDP).",
		EraseDone:   "🗑 Data %s sudah dihapus. Di daftar hanya tersisa hitungannya, tanpa nama.",

		NoticeCancelled: "Pendaftaran Anda di <b>%s</b> dibatalkan oleh penyelenggara.",
		NoticeReason:    "Alasan: %s",
		NoticeMoved:     "Penyelenggara memindahkan pendaftaran Anda dari <b>%s</b> ke <b>%s</b> (%s). Ketik /status untuk melihatnya.",
		Claimed:         "✅ Pendaftaran Anda di <b>%s</b> (%s) kini tertaut ke akun Telegram ini. Pengingat akan dikirim ke sini. Ketik /status untuk melihatnya.",
		ClaimUnknown:    "Tautan ini tidak berlaku: sudah dipakai, atau kodenya keliru. Silakan tanyakan kepada penyelenggara.",
		ClaimHeld:       "Akun Telegram ini sudah punya tempat di <b>%s</b> (atau di " + w.lower + " yang tanggalnya bentrok), jadi pendaftaran dari meja tidak bisa ditautkan ke sini. Jika itu keliru, silakan hubungi penyelenggara.",
	}
}
