//! Reading a Blob in slices with the next slices always on their way.
//!
//! `Blob.arrayBuffer()` is served by the browser process, off the worker's thread; profiling the
//! 686 MB battle log showed 4.4 s of the worker's 13 s parse waiting for it between slices. With
//! reads ahead, the next slice arrives while the engine parses the current one. Slices are big
//! ([`READ_SLICE_BYTES`]): each read has a fixed cost in the browser process, on the cores that
//! parse.

use std::collections::VecDeque;

use benchlens_engine::formats::CHUNK_BYTES;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Slices requested before the one being parsed is done with. With 4 MB slices two workers still
/// waited for reads with one ahead and needed three; with 32 MB ones two suffice (3M × 250 in
/// the page: 5.48-5.61 s to the first leaderboard with two, 5.44-5.46 s with three), and each
/// worker holds 32 MB less outside wasm memory.
const READ_AHEAD: usize = 2;

/// Bytes per read of a file being parsed. Each `arrayBuffer()` has a fixed cost in the browser
/// process, on the same cores that parse. Reading the 2 GB 3M-battle file alone, with no parse,
/// took 1.75 s in 4 MB slices and 1.35 s in 16 MB ones. The page's first leaderboard there, same
/// run: 7.1-7.4 s with 4 MB, 5.9-6.2 s with 16 MB, 5.65-5.83 s with 32 MB. The engine still takes
/// [`CHUNK_BYTES`] at a time (see [`feed_in_pieces`]), so the bigger reads cost no wasm memory,
/// which never shrinks.
pub const READ_SLICE_BYTES: usize = 32 << 20;

/// Copies `slice` into wasm memory [`CHUNK_BYTES`] at a time through `buf`, handing each piece to
/// `feed`; stops early (and returns false) when `feed` returns false.
pub fn feed_in_pieces(
    slice: &js_sys::Uint8Array,
    buf: &mut Vec<u8>,
    mut feed: impl FnMut(&[u8]) -> bool,
) -> bool {
    let len = slice.length();
    let mut start = 0;
    while start < len {
        let end = len.min(start.saturating_add(CHUNK_BYTES as u32));
        let piece = slice.subarray(start, end);
        buf.resize((end - start) as usize, 0);
        piece.copy_to(buf);
        if !feed(buf) {
            return false;
        }
        start = end;
    }
    true
}

/// Reads `blob` from `from` to `to` in slices of `slice_bytes`, [`READ_AHEAD`] reads ahead.
pub struct SliceStream {
    blob: web_sys::Blob,
    /// Where the read after those in `ahead` starts.
    next: f64,
    to: f64,
    slice_bytes: f64,
    /// Reads on their way, in file order, with the offset each ends at.
    ahead: VecDeque<(f64, JsFuture)>,
}

impl SliceStream {
    pub fn new(blob: &web_sys::Blob, from: f64, to: f64, slice_bytes: usize) -> Self {
        let mut stream = Self {
            blob: blob.clone(),
            next: from,
            to: to.min(blob.size()),
            slice_bytes: slice_bytes.max(1) as f64,
            ahead: VecDeque::new(),
        };
        stream.fill();
        stream
    }

    /// Starts reads until [`READ_AHEAD`] are on their way or the range is requested.
    fn fill(&mut self) {
        while self.ahead.len() < READ_AHEAD {
            match self.start_read() {
                Some(read) => self.ahead.push_back(read),
                None => break,
            }
        }
    }

    fn start_read(&mut self) -> Option<(f64, JsFuture)> {
        if self.next >= self.to {
            return None;
        }
        let end = (self.next + self.slice_bytes).min(self.to);
        let promise = self.blob.slice_with_f64_and_f64(self.next, end).map(|s| s.array_buffer());
        self.next = end;
        // A slice that cannot even be made fails when awaited, with the browser's reason.
        let promise = promise.unwrap_or_else(|e| js_sys::Promise::reject(&e));
        Some((end, JsFuture::from(promise)))
    }

    /// The next slice and the offset it ends at; `None` at the end.
    pub async fn next_slice(&mut self) -> Option<Result<(js_sys::Uint8Array, f64), String>> {
        let (end, pending) = self.ahead.pop_front()?;
        self.fill();
        Some(match pending.await {
            Ok(buffer) => buffer
                .dyn_into::<js_sys::ArrayBuffer>()
                .map(|b| (js_sys::Uint8Array::new(&b), end))
                .map_err(|_| "the browser returned no bytes".to_owned()),
            Err(e) => Err(format!("the browser could not read the file: {e:?}")),
        })
    }
}

/// Bytes `start..end` of `blob`, in one read (the pool reads the windows it cuts in).
#[cfg(target_arch = "wasm32")]
pub async fn read_range(blob: &web_sys::Blob, start: f64, end: f64) -> Result<Vec<u8>, String> {
    let mut stream = SliceStream::new(blob, start, end, (end - start).max(1.0) as usize);
    let mut out = Vec::new();
    while let Some(slice) = stream.next_slice().await {
        out.extend(slice?.0.to_vec());
    }
    Ok(out)
}
