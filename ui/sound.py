"""A distinct short sound per verdict, so an operator looking at the person hears the answer.

The tones are written at run time with the standard library's `wave` (no audio files to ship or
license) and played with Qt Multimedia's QSoundEffect when PySide6-Addons is installed (the
`sound` extra); without it the window stays silent and says nothing: sound is a help, never the
verdict itself, which is always the colour and the word.
"""

from __future__ import annotations

import math
import struct
import tempfile
import wave
from pathlib import Path

from PySide6.QtCore import QObject, QUrl

RATE = 22_050
# (frequency Hz, milliseconds) per tone, a 40 ms gap between tones: rising = go, flat = look,
# low and long = stop; each verdict has its own rhythm so they differ for a tone-deaf ear too
TONES: dict[str, tuple[tuple[int, int], ...]] = {
    "allow": ((880, 90), (1320, 140)),
    "attention": ((660, 120), (660, 120), (660, 120)),
    "deny": ((330, 450),),
    "error": ((220, 150), (220, 150)),
}


def write_tone(path: Path, tones: tuple[tuple[int, int], ...], rate: int = RATE) -> Path:
    frames = bytearray()
    gap = b"\0\0" * (rate * 40 // 1000)
    for freq, ms in tones:
        n = rate * ms // 1000
        fade = max(1, rate * 8 // 1000)  # 8 ms ramps: no click at either end
        for i in range(n):
            env = min(1.0, i / fade, (n - i) / fade)
            sample = int(0.8 * 32767 * env * math.sin(2 * math.pi * freq * i / rate))
            frames += struct.pack("<h", sample)
        frames += gap
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return path


def write_tones(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {name: write_tone(folder / f"{name}.wav", t) for name, t in TONES.items()}


class VerdictSounds(QObject):
    """Plays the sound of a verdict. `played` lists what was asked for, for tests and the log."""

    def __init__(self, volume: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.volume = volume
        self.muted = volume <= 0
        self.played: list[str] = []
        self._dir = tempfile.TemporaryDirectory(prefix="kiosk-sounds-")
        self.files = write_tones(Path(self._dir.name))
        self._effects: dict[str, object] = {}
        try:
            from PySide6.QtMultimedia import QSoundEffect  # PySide6-Addons: optional
        except ImportError:
            self.available = False
            return
        self.available = True
        for name, path in self.files.items():
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.setVolume(volume)
            self._effects[name] = effect

    def play(self, verdict: str) -> None:
        if self.muted or verdict not in self.files:
            return
        self.played.append(verdict)
        effect = self._effects.get(verdict)
        if effect is not None:
            effect.play()  # type: ignore[attr-defined]

    def set_muted(self, muted: bool) -> None:
        self.muted = muted or self.volume <= 0

    def close(self) -> None:
        for effect in self._effects.values():
            effect.stop()  # type: ignore[attr-defined]
        self._dir.cleanup()
