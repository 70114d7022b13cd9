//! tfplugin (in progress)
