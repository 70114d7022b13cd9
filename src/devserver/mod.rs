//! devserver (in progress)
