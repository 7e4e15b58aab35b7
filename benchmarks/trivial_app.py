"""The floor: the smallest page with an interaction (a title, a radio and a button).

benchmarks/run.py times one rerun of this page after a radio click; every other
figure is read against it.
"""

import streamlit as st

st.title("Trivial page")
choice = st.radio("Pick one", ["first", "second", "third"], horizontal=True, key="choice")
if st.button("Go"):
    st.write(f"You picked {choice}.")
