"""A distinct short sound per verdict, so an operator looking at the person hears the answer.

The tones are made at run time (no audio files to ship or license; `write_tone` also saves them
as WAV for a listen) and played through miniaudio (pyminiaudio: one 1.6 MB C library that
reaches PulseAudio, PipeWire's Pulse server or ALSA itself, on its own audio thread). A machine
without an audio device stays silent and says nothing: sound is a help, never the verdict itself,
which is always the colour and the word. README says why not Qt Multimedia.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from array import array
from collections import Counter
from collections.abc import Generator
from pathlib import Path

import miniaudio
from PySide6.QtCore import QObject, QTimer

RATE = 22_050
# (frequency Hz, milliseconds) per tone, a 40 ms gap between tones: rising = go, flat = look,
# low and long = stop; each verdict has its own rhythm so they differ for a tone-deaf ear too
TONES: dict[str, tuple[tuple[int, int], ...]] = {
    "allow": ((880, 90), (1320, 140)),
    "attention": ((660, 120), (660, 120), (660, 120)),
    "deny": ((330, 450),),
    "error": ((220, 150), (220, 150)),
}
# which audio systems to try, in miniaudio's order when None; tests name the "null" device
# (a real output that discards what it is given) to hear a sound played on a machine with none
BACKENDS: tuple[str, ...] | None = None


def tone_samples(tones: tuple[tuple[int, int], ...], rate: int = RATE) -> array:
    """Signed 16-bit mono samples at full scale (0.8), 8 ms ramps at both ends: no click."""
    out = array("h")
    gap = [0] * (rate * 40 // 1000)
    for freq, ms in tones:
        n = rate * ms // 1000
        fade = max(1, rate * 8 // 1000)
        for i in range(n):
            env = min(1.0, i / fade, (n - i) / fade)
            out.append(int(0.8 * 32767 * env * math.sin(2 * math.pi * freq * i / rate)))
        out.extend(gap)
    return out


def write_tone(path: Path, tones: tuple[tuple[int, int], ...], rate: int = RATE) -> Path:
    samples = tone_samples(tones, rate)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return path


def write_tones(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {name: write_tone(folder / f"{name}.wav", t) for name, t in TONES.items()}


class VerdictSounds(QObject):
    """Plays the sound of a verdict; a new verdict cuts the one still sounding. `played` lists
    what was asked for (tests, the log); `frames_out` counts, per verdict, the samples the audio
    device took. `available` is False when no audio device opened: then nothing sounds."""

    def __init__(self, volume: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.volume = volume
        self.muted = volume <= 0
        self.played: list[str] = []
        self.frames_out: Counter[str] = Counter()
        self.tones = {name: tone_samples(t) for name, t in TONES.items()}
        self._scaled = {name: _scaled(s, volume) for name, s in self.tones.items()}
        self.device: miniaudio.PlaybackDevice | None = None
        self.device_problem = ""
        self._idle = QTimer(self)  # the device is stopped once the sound is over
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._stop_device)
        try:
            backends = _backends()
            self.device = miniaudio.PlaybackDevice(
                nchannels=1,
                sample_rate=RATE,
                buffersize_msec=50,
                backends=backends,
                app_name="checkpoint-kiosk",
            )
        except miniaudio.MiniaudioError as exc:  # no sound card, no sound server: silent
            self.device_problem = str(exc)

    @property
    def available(self) -> bool:
        return self.device is not None

    def play(self, verdict: str) -> None:
        if self.muted or verdict not in self.tones:
            return
        self.played.append(verdict)
        if self.device is None:
            return
        self._stop_device()
        stream = self._stream(verdict, self._scaled[verdict])
        next(stream)  # miniaudio sends the frame counts it needs into a started generator
        try:
            self.device.start(stream)
        except miniaudio.MiniaudioError as exc:  # the device went away (unplugged): silent
            self.device_problem = str(exc)
            return
        self._idle.start(len(self.tones[verdict]) * 1000 // RATE + 300)

    def _stream(self, verdict: str, samples: array) -> Generator[array, int, None]:
        """Runs on miniaudio's audio thread: hands out the samples in the sizes asked for."""
        wanted = yield array("h")
        at = 0
        while at < len(samples):
            chunk = samples[at : at + wanted]
            at += len(chunk)
            self.frames_out[verdict] += len(chunk)
            wanted = yield chunk

    def set_muted(self, muted: bool) -> None:
        self.muted = muted or self.volume <= 0
        if self.muted:
            self._stop_device()

    def _stop_device(self) -> None:
        self._idle.stop()
        if self.device is not None and self.device.running:
            self.device.stop()

    def close(self) -> None:
        self._stop_device()
        if self.device is not None:
            self.device.close()
            self.device = None


def _backends() -> list[miniaudio.Backend] | None:
    if BACKENDS:
        return [miniaudio.Backend[b.upper()] for b in BACKENDS]
    if sys.platform.startswith("linux") and not Path("/dev/snd").exists():
        # no sound card here: only a sound server could play (and ALSA, tried for nothing,
        # would print a dozen lines of its own errors on stderr)
        return [miniaudio.Backend.PULSEAUDIO]
    return None


def _scaled(samples: array, volume: float) -> array:
    return array("h", (int(s * volume) for s in samples))
