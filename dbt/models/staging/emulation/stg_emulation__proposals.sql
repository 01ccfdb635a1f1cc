{#- The current proposals of each plan year: the rows of the latest proposal batch. -#}
{{ latest_emulation_batch('emulation_proposals', 'proposal') }}
