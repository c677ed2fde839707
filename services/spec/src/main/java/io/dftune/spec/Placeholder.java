package io.dftune.spec; final class Placeholder {}
