# The shakespeare_char CPU run of notebooks/shakespeare.rlhf in PyTorch: GPT-2 with biases, nanoGPT's hyperparameters
# and schedule, validation loss estimated on 20 and on 200 batches. Usage: python3 gpt_shakespeare_torch.py [SEED] [bias|nobias]
import math, os, sys, time
import torch, torch.nn as nn, torch.nn.functional as F
seed=int(sys.argv[1]) if len(sys.argv)>1 else 1337
bias=(sys.argv[2]=="bias") if len(sys.argv)>2 else True
torch.manual_seed(seed)
text=open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data', 'tinyshakespeare.txt')).read()
chars=sorted(set(text)); stoi={c:i for i,c in enumerate(chars)}
data=torch.tensor([stoi[c] for c in text]); n=int(0.9*len(data)); train,val=data[:n],data[n:]
V,L,H,D,T,B=len(chars),4,4,128,64,12
class Block(nn.Module):
    def __init__(s):
        super().__init__(); s.ln_1=nn.LayerNorm(D,bias=bias); s.c_attn=nn.Linear(D,3*D,bias=bias); s.c_proj=nn.Linear(D,D,bias=bias); s.ln_2=nn.LayerNorm(D,bias=bias); s.fc=nn.Linear(D,4*D,bias=bias); s.proj=nn.Linear(4*D,D,bias=bias)
    def forward(s,x):
        b,t,c=x.shape
        q,k,v=s.c_attn(s.ln_1(x)).split(D,dim=2)
        q=q.view(b,t,H,c//H).transpose(1,2);k=k.view(b,t,H,c//H).transpose(1,2);v=v.view(b,t,H,c//H).transpose(1,2)
        y=F.scaled_dot_product_attention(q,k,v,is_causal=True).transpose(1,2).contiguous().view(b,t,c)
        x=x+s.c_proj(y)
        return x+s.proj(F.gelu(s.fc(s.ln_2(x)),approximate='tanh'))
class GPT(nn.Module):
    def __init__(s):
        super().__init__(); s.wte=nn.Embedding(V,D); s.wpe=nn.Embedding(T,D); s.h=nn.ModuleList([Block() for _ in range(L)]); s.ln_f=nn.LayerNorm(D,bias=bias); s.head=nn.Linear(D,V,bias=False); s.head.weight=s.wte.weight
        for m in s.modules():
            if isinstance(m,(nn.Linear,nn.Embedding)): nn.init.normal_(m.weight,0,0.02)
            if isinstance(m,nn.Linear) and m.bias is not None: nn.init.zeros_(m.bias)
        for blk in s.h:
            nn.init.normal_(blk.c_proj.weight,0,0.02/math.sqrt(2*L)); nn.init.normal_(blk.proj.weight,0,0.02/math.sqrt(2*L))
    def forward(s,idx,tg):
        x=s.wte(idx)+s.wpe(torch.arange(idx.shape[1]))
        for b in s.h: x=b(x)
        lg=s.head(s.ln_f(x)); return F.cross_entropy(lg.view(-1,V),tg.view(-1))
m=GPT()
dec=[p for p in m.parameters() if p.dim()>=2]; nod=[p for p in m.parameters() if p.dim()<2]
opt=torch.optim.AdamW([{'params':dec,'weight_decay':0.1},{'params':nod,'weight_decay':0.0}],lr=1e-3,betas=(0.9,0.99))
def batch(d):
    ix=torch.randint(len(d)-T,(B,)); return torch.stack([d[i:i+T] for i in ix]),torch.stack([d[i+1:i+T+1] for i in ix])
def lr_at(it):
    if it<100: return 1e-3*(it+1)/101
    if it>2000: return 1e-4
    r=(it-100)/(2000-100); return 1e-4+0.5*(1+math.cos(math.pi*r))*(1e-3-1e-4)
@torch.no_grad()
def est(d,k):
    m.eval(); l=torch.stack([m(*batch(d)) for _ in range(k)]).mean().item(); m.train(); return l
t0=time.time()
for it in range(2001):
    for g in opt.param_groups: g['lr']=lr_at(it)
    if it%500==0 or it==2000: print(it, 'val20', round(est(val,20),4), 'val200', round(est(val,200),4), flush=True)
    if it==2000: break
    x,y=batch(train); l=m(x,y); opt.zero_grad(); l.backward(); torch.nn.utils.clip_grad_norm_(m.parameters(),1.0); opt.step()
print('seconds', time.time()-t0)
