//! The cases API: reports, queue, transitions, comments, history.
