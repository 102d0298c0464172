//! Reading a Blob in slices with the next slices always on their way.
//!
//! `Blob.arrayBuffer()` is served by the browser process, off the worker's thread; profiling the
//! 686 MB battle log showed 4.4 s of the worker's 13 s parse waiting for it between slices. With
//! one read ahead, the next slice arrives while the engine parses the current one; with two
//! workers parsing, one read ahead still left each waiting ≈ 1 s of its 3.8 s on the 1M-battle
//! file, so [`READ_AHEAD`] reads are in flight.

use std::collections::VecDeque;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Slices requested before the one being parsed is done with.
const READ_AHEAD: usize = 3;

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
