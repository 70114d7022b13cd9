//! kestra (in progress)
